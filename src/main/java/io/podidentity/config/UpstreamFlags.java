package io.podidentity.config;

import static io.podidentity.config.Flag.Group.CLUSTER;
import static io.podidentity.config.Flag.Group.CONTAINER_CREDENTIALS;
import static io.podidentity.config.Flag.Group.KLOG;
import static io.podidentity.config.Flag.Group.PROJECT;
import static io.podidentity.config.Flag.Group.TLS;
import static io.podidentity.config.Flag.Group.WEBHOOK;
import static io.podidentity.config.Flag.Type.BOOL;
import static io.podidentity.config.Flag.Type.CIPHER_SUITES;
import static io.podidentity.config.Flag.Type.DURATION;
import static io.podidentity.config.Flag.Type.INT;
import static io.podidentity.config.Flag.Type.LOG_FORMAT;
import static io.podidentity.config.Flag.Type.STRING;
import static io.podidentity.config.Flag.Type.TLS_VERSION;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the Go webhook ({@code /webhook --port=8443 -v=2 ...}), translated to
 * {@code webhook.*} configuration properties so that existing manifests and the Helm chart
 * start this webhook unchanged.
 *
 * <p>{@link #flags()} is the single table of flags; parsing, {@link #defaults()} and
 * {@link #usage()} all read it.
 */
public final class UpstreamFlags {

    /** Prefix of the configuration property of every flag: {@code --port} is {@code webhook.port}. */
    public static final String PROPERTY_PREFIX = "webhook.";

    private static final List<Flag> FLAGS = List.of(
            property(WEBHOOK, "port", INT, "443", "Port to listen on (HTTPS)"),
            property(WEBHOOK, "metrics-port", INT, "9999", "Port to listen on for metrics and debug handlers (HTTP)"),
            property(WEBHOOK, "annotation-prefix", STRING, "eks.amazonaws.com",
                    "The ServiceAccount annotation prefix to look for"),
            property(WEBHOOK, "token-audience", STRING, "sts.amazonaws.com",
                    "The default audience for tokens; can be overridden by annotation"),
            property(WEBHOOK, "token-mount-path", STRING, "/var/run/secrets/eks.amazonaws.com/serviceaccount",
                    "The path to mount tokens"),
            property(WEBHOOK, "token-expiration", INT, "86400", "The token expiration in seconds"),
            property(WEBHOOK, "aws-default-region", STRING, "",
                    "If set, AWS_DEFAULT_REGION and AWS_REGION are set to this value in mutated containers"),
            property(WEBHOOK, "sts-regional-endpoint", BOOL, "false", "Inject AWS_STS_REGIONAL_ENDPOINTS=regional"),
            property(WEBHOOK, "compose-role-arn", BOOL, "false",
                    "Accept role names instead of full ARNs in the role-arn annotation"),
            property(WEBHOOK, "enable-debugging-handlers", BOOL, "false",
                    "Enable /debug/alpha/cache and the other debug handlers"),
            new Flag("version", List.of(), BOOL, "false", WEBHOOK, Flag.Effect.VERSION, null,
                    "Display the version and exit"),
            new Flag("help", List.of("h"), BOOL, "false", WEBHOOK, Flag.Effect.HELP, null,
                    "Display this help and exit"),

            property(TLS, "tls-cert", STRING, "/etc/webhook/certs/tls.crt", "TLS certificate file path (PEM)"),
            property(TLS, "tls-key", STRING, "/etc/webhook/certs/tls.key",
                    "TLS key file path (PEM, PKCS#1 or PKCS#8, RSA or EC)"),
            property(TLS, "tls-cipher-suites", CIPHER_SUITES, "", "Comma-separated list of cipher suites (Go names)"),
            property(TLS, "tls-min-version", TLS_VERSION, "",
                    "Minimum TLS version (1.0, 1.1, 1.2, 1.3); empty means " + TlsPolicy.DEFAULT_MIN_VERSION),

            property(CLUSTER, "kubeconfig", STRING, "",
                    "(out-of-cluster) Absolute path to the API server kubeconfig file"),
            property(CLUSTER, "kube-api", STRING, "", "(out-of-cluster) The url to the API server"),
            property(CLUSTER, "in-cluster", BOOL, "true",
                    "Accepted for compatibility; the certificate always comes from --tls-cert/--tls-key"),
            property(CLUSTER, "service-name", STRING, "pod-identity-webhook", "The service name fronting this webhook"),
            property(CLUSTER, "namespace", STRING, "eks",
                    "The namespace of this webhook and of the pod-identity-webhook ConfigMap"),
            property(CLUSTER, "tls-secret", STRING, "pod-identity-webhook",
                    "Accepted for compatibility (upstream in-cluster CSR mode)"),
            property(CLUSTER, "watch-config-map", BOOL, "false",
                    "Watch the pod-identity-webhook ConfigMap for ServiceAccount roles"),
            property(CLUSTER, "resync-period", DURATION, "60s", "The period to resync the ServiceAccount informer"),
            property(CLUSTER, "service-account-lookup-grace-period", DURATION, "0",
                    "Wait this long for a ServiceAccount missing from the cache"),

            property(CONTAINER_CREDENTIALS, "watch-container-credentials-config", STRING, "",
                    "Path of the container credentials (EKS Pod Identity) config file to watch"),
            property(CONTAINER_CREDENTIALS, "container-credentials-audience", STRING, "pods.eks.amazonaws.com",
                    "The audience of the tokens used for container credentials"),
            property(CONTAINER_CREDENTIALS, "container-credentials-token-mount-path", STRING,
                    "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount",
                    "The path to mount the tokens used for container credentials"),
            property(CONTAINER_CREDENTIALS, "container-credentials-token-volume-name", STRING, "eks-pod-identity-token",
                    "The name of the projected volume holding the container credentials token"),
            property(CONTAINER_CREDENTIALS, "container-credentials-token-path", STRING, "eks-pod-identity-token",
                    "The file name of the container credentials token inside its volume"),
            property(CONTAINER_CREDENTIALS, "container-credentials-full-uri", STRING,
                    "http://169.254.170.23/v1/credentials",
                    "The AWS_CONTAINER_CREDENTIALS_FULL_URI given to containers using container credentials"),

            property(PROJECT, "objects-file", STRING, "",
                    "Standalone mode: YAML/JSON file of ServiceAccounts (and optionally the pod-identity-webhook "
                            + "ConfigMap); the webhook never contacts a cluster"),
            property(PROJECT, "aws-account-id", STRING, "",
                    "Account used by --compose-role-arn (instead of EC2 instance metadata)"),
            property(PROJECT, "aws-partition", STRING, "",
                    "Partition used by --compose-role-arn (default: from --aws-default-region)"),
            property(PROJECT, "log-format", LOG_FORMAT, "text", "Log line format: text or json"),
            property(PROJECT, "tls-reload-period", DURATION, "10s",
                    "How often the certificate files are checked for rotation"),
            property(PROJECT, "shutdown-delay", DURATION, "5s",
                    "On SIGTERM, keep serving this long (not ready) before draining, so that every kube-proxy "
                            + "routes new connections to the other replicas first; then in-flight admissions finish"),
            property(PROJECT, "self-signed-cert-dir", STRING, "",
                    "Standalone mode only: where a self-signed certificate is generated when the default "
                            + "certificate files do not exist (default $TMPDIR/pod-identity-webhook-$USER)"),

            new Flag("v", List.of(), INT, "0", KLOG, Flag.Effect.PROPERTY, PROPERTY_PREFIX + "log-verbosity",
                    "Log verbosity; 4 and up adds debug lines (property webhook.log-verbosity)"),
            klog("vmodule", STRING, "", Flag.Effect.IGNORED_WITH_NOTICE, "per-file verbosity is not supported, use -v"),
            klog("logtostderr", BOOL, "true", Flag.Effect.IGNORED_NOTICE_IF_FALSE, "logs always go to stderr"),
            klog("alsologtostderr", BOOL, "false", Flag.Effect.IGNORED, "logs always go to stderr"),
            klog("add_dir_header", BOOL, "false", Flag.Effect.IGNORED, "the line format is set by --log-format"),
            klog("one_output", BOOL, "false", Flag.Effect.IGNORED, "logs always go to stderr"),
            klog("skip_headers", BOOL, "false", Flag.Effect.IGNORED, "the line format is set by --log-format"),
            klog("skip_log_headers", BOOL, "false", Flag.Effect.IGNORED, "logs always go to stderr"),
            klog("log_dir", STRING, "", Flag.Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
            klog("log_file", STRING, "", Flag.Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
            klog("log_file_max_size", INT, "1800", Flag.Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
            klog("log_backtrace_at", STRING, ":0", Flag.Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
            klog("stderrthreshold", STRING, "2", Flag.Effect.IGNORED_WITH_NOTICE, "logs go to stderr"));

    private static final Map<String, Flag> BY_NAME = index(FLAGS);

    private UpstreamFlags() {
    }

    /**
     * Reads a command line.
     *
     * @throws FlagException naming the first flag that is unknown, lacks a value or has a value
     *         of the wrong kind
     */
    public static ParsedFlags parse(String[] args) {
        return new FlagParser(BY_NAME).parse(args);
    }

    /** Every accepted flag, in {@code --help} order. */
    public static List<Flag> flags() {
        return FLAGS;
    }

    /** The default of every flag that sets a property, keyed by property, in table order. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Flag flag : FLAGS) {
            if (flag.effect() == Flag.Effect.PROPERTY) {
                defaults.put(flag.property(), flag.defaultValue());
            }
        }
        return defaults;
    }

    /** The {@code --help} text. */
    public static String usage() {
        return FlagUsage.render(FLAGS);
    }

    private static Flag property(Flag.Group group, String name, Flag.Type type, String defaultValue, String help) {
        return new Flag(name, List.of(), type, defaultValue, group, Flag.Effect.PROPERTY, PROPERTY_PREFIX + name, help);
    }

    // klog registers its flags with underscores; people often write dashes, so accept both.
    private static Flag klog(String name, Flag.Type type, String defaultValue, Flag.Effect effect, String reason) {
        List<String> aliases = name.contains("_") ? List.of(name.replace('_', '-')) : List.of();
        return new Flag(name, aliases, type, defaultValue, KLOG, effect, null, reason);
    }

    private static Map<String, Flag> index(List<Flag> flags) {
        Map<String, Flag> byName = new LinkedHashMap<>();
        for (Flag flag : flags) {
            register(byName, flag.name(), flag);
            flag.aliases().forEach(alias -> register(byName, alias, flag));
        }
        return Map.copyOf(byName);
    }

    private static void register(Map<String, Flag> byName, String name, Flag flag) {
        if (byName.put(name, flag) != null) {
            throw new IllegalStateException("flag name --" + name + " is defined twice");
        }
    }
}
