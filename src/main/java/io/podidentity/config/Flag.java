package io.podidentity.config;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the webhook, declared once: its flag, value type (with the Go syntax and the
 * checks), default, {@code --help} line and {@code --help} section. The command line
 * ({@link UpstreamFlags}), the property {@code webhook.<flag>} and the environment variable
 * {@code WEBHOOK_<FLAG>} ({@link WebhookConfig}) and {@code --help} all read this table; code
 * uses a setting as {@code config.integer(Flag.PORT)}. Adding a setting is one constant here and
 * its use.
 *
 * <p>Upstream's flags keep upstream's names and defaults so that its manifests and Helm chart start
 * this webhook unchanged; klog's flags are accepted and ignored ({@link Effect}).
 */
public enum Flag {

    PORT(Group.WEBHOOK, "port", Type.PORT, "443", "Port to listen on (HTTPS)"),
    METRICS_PORT(Group.WEBHOOK, "metrics-port", Type.PORT, "9999",
            "Port to listen on for metrics and debug handlers (HTTP)"),
    ANNOTATION_PREFIX(Group.WEBHOOK, "annotation-prefix", Type.STRING, "eks.amazonaws.com",
            "The ServiceAccount annotation prefix to look for"),
    TOKEN_AUDIENCE(Group.WEBHOOK, "token-audience", Type.STRING, "sts.amazonaws.com",
            "The default audience for tokens; can be overridden by annotation"),
    TOKEN_MOUNT_PATH(Group.WEBHOOK, "token-mount-path", Type.STRING, "/var/run/secrets/eks.amazonaws.com/serviceaccount",
            "The path to mount tokens"),
    TOKEN_EXPIRATION(Group.WEBHOOK, "token-expiration", Type.INT, "86400", "The token expiration in seconds"),
    AWS_DEFAULT_REGION(Group.WEBHOOK, "aws-default-region", Type.STRING, "",
            "If set, AWS_DEFAULT_REGION and AWS_REGION are set to this value in mutated containers"),
    STS_REGIONAL_ENDPOINT(Group.WEBHOOK, "sts-regional-endpoint", Type.BOOL, "false",
            "Inject AWS_STS_REGIONAL_ENDPOINTS=regional"),
    COMPOSE_ROLE_ARN(Group.WEBHOOK, "compose-role-arn", Type.BOOL, "false",
            "Accept role names instead of full ARNs in the role-arn annotation"),
    ENABLE_DEBUGGING_HANDLERS(Group.WEBHOOK, "enable-debugging-handlers", Type.BOOL, "false",
            "Enable /debug/alpha/cache and the other debug handlers"),
    VERSION(Group.WEBHOOK, "version", List.of(), Type.BOOL, "false", Effect.VERSION, "Display the version and exit"),
    HELP(Group.WEBHOOK, "help", List.of("h"), Type.BOOL, "false", Effect.HELP, "Display this help and exit"),

    TLS_CERT(Group.TLS, "tls-cert", Type.STRING, "/etc/webhook/certs/tls.crt", "TLS certificate file path (PEM)"),
    TLS_KEY(Group.TLS, "tls-key", Type.STRING, "/etc/webhook/certs/tls.key",
            "TLS key file path (PEM, PKCS#1 or PKCS#8, RSA or EC)"),
    TLS_CIPHER_SUITES(Group.TLS, "tls-cipher-suites", Type.CIPHER_SUITES, "",
            "Comma-separated list of cipher suites (Go names)"),
    TLS_MIN_VERSION(Group.TLS, "tls-min-version", Type.TLS_VERSION, "",
            "Minimum TLS version (1.0, 1.1, 1.2, 1.3); empty means " + TlsPolicy.DEFAULT_MIN_VERSION),

    KUBECONFIG(Group.CLUSTER, "kubeconfig", Type.STRING, "",
            "(out-of-cluster) Absolute path to the API server kubeconfig file"),
    KUBE_API(Group.CLUSTER, "kube-api", Type.STRING, "", "(out-of-cluster) The url to the API server"),
    IN_CLUSTER(Group.CLUSTER, "in-cluster", Type.BOOL, "true",
            "Accepted for compatibility; the certificate always comes from --tls-cert/--tls-key"),
    SERVICE_NAME(Group.CLUSTER, "service-name", Type.STRING, "pod-identity-webhook",
            "The service name fronting this webhook"),
    NAMESPACE(Group.CLUSTER, "namespace", Type.STRING, "eks",
            "The namespace of this webhook and of the pod-identity-webhook ConfigMap"),
    TLS_SECRET(Group.CLUSTER, "tls-secret", Type.STRING, "pod-identity-webhook",
            "Accepted for compatibility (upstream in-cluster CSR mode)"),
    WATCH_CONFIG_MAP(Group.CLUSTER, "watch-config-map", Type.BOOL, "false",
            "Watch the pod-identity-webhook ConfigMap for ServiceAccount roles"),
    RESYNC_PERIOD(Group.CLUSTER, "resync-period", Type.DURATION, "60s",
            "The period to resync the ServiceAccount informer"),
    SERVICE_ACCOUNT_LOOKUP_GRACE_PERIOD(Group.CLUSTER, "service-account-lookup-grace-period", Type.DURATION, "0",
            "Wait this long for a ServiceAccount missing from the cache"),

    WATCH_CONTAINER_CREDENTIALS_CONFIG(Group.CONTAINER_CREDENTIALS, "watch-container-credentials-config", Type.STRING,
            "", "Path of the container credentials (EKS Pod Identity) config file to watch"),
    CONTAINER_CREDENTIALS_AUDIENCE(Group.CONTAINER_CREDENTIALS, "container-credentials-audience", Type.STRING,
            "pods.eks.amazonaws.com", "The audience of the tokens used for container credentials"),
    CONTAINER_CREDENTIALS_TOKEN_MOUNT_PATH(Group.CONTAINER_CREDENTIALS, "container-credentials-token-mount-path",
            Type.STRING, "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount",
            "The path to mount the tokens used for container credentials"),
    CONTAINER_CREDENTIALS_TOKEN_VOLUME_NAME(Group.CONTAINER_CREDENTIALS, "container-credentials-token-volume-name",
            Type.STRING, "eks-pod-identity-token",
            "The name of the projected volume holding the container credentials token"),
    CONTAINER_CREDENTIALS_TOKEN_PATH(Group.CONTAINER_CREDENTIALS, "container-credentials-token-path", Type.STRING,
            "eks-pod-identity-token", "The file name of the container credentials token inside its volume"),
    CONTAINER_CREDENTIALS_FULL_URI(Group.CONTAINER_CREDENTIALS, "container-credentials-full-uri", Type.STRING,
            "http://169.254.170.23/v1/credentials",
            "The AWS_CONTAINER_CREDENTIALS_FULL_URI given to containers using container credentials"),

    OBJECTS_FILE(Group.PROJECT, "objects-file", Type.STRING, "",
            "Standalone mode: YAML/JSON file of ServiceAccounts (and optionally the pod-identity-webhook "
                    + "ConfigMap); the webhook never contacts a cluster"),
    AWS_ACCOUNT_ID(Group.PROJECT, "aws-account-id", Type.STRING, "",
            "Account used by --compose-role-arn (instead of EC2 instance metadata)"),
    AWS_PARTITION(Group.PROJECT, "aws-partition", Type.STRING, "",
            "Partition used by --compose-role-arn (default: from --aws-default-region)"),
    LOG_FORMAT(Group.PROJECT, "log-format", Type.LOG_FORMAT, "text", "Log line format: text or json"),
    TLS_RELOAD_PERIOD(Group.PROJECT, "tls-reload-period", Type.POSITIVE_DURATION, "10s",
            "How often the certificate files are checked for rotation"),
    SHUTDOWN_DELAY(Group.PROJECT, "shutdown-delay", Type.DURATION, "5s",
            "On SIGTERM, keep serving this long (not ready) before draining, so that every kube-proxy routes new "
                    + "connections to the other replicas first; then in-flight admissions finish (standalone mode: "
                    + "0 unless set)"),
    SELF_SIGNED_CERT_DIR(Group.PROJECT, "self-signed-cert-dir", Type.STRING, "",
            "Standalone mode only: where a self-signed certificate is generated when the default certificate "
                    + "files do not exist (default $TMPDIR/pod-identity-webhook-$USER)"),
    MAX_REQUEST_BYTES(Group.PROJECT, "max-request-bytes", Type.INT, "4194304",
            "Largest admission request body accepted, in bytes; larger ones are answered 413"),

    // klog's flags. -v is the one that does something; its property has a name of its own.
    V(Group.KLOG, "v", List.of(), Type.INT, "0", Effect.PROPERTY,
            "Log verbosity; 4 and up adds debug lines (property webhook.log-verbosity)"),
    VMODULE(Group.KLOG, "vmodule", Type.STRING, "", Effect.IGNORED_WITH_NOTICE,
            "per-file verbosity is not supported, use -v"),
    LOGTOSTDERR(Group.KLOG, "logtostderr", Type.BOOL, "true", Effect.IGNORED_NOTICE_IF_FALSE, "logs always go to stderr"),
    ALSOLOGTOSTDERR(Group.KLOG, "alsologtostderr", Type.BOOL, "false", Effect.IGNORED, "logs always go to stderr"),
    ADD_DIR_HEADER(Group.KLOG, "add_dir_header", Type.BOOL, "false", Effect.IGNORED,
            "the line format is set by --log-format"),
    ONE_OUTPUT(Group.KLOG, "one_output", Type.BOOL, "false", Effect.IGNORED, "logs always go to stderr"),
    SKIP_HEADERS(Group.KLOG, "skip_headers", Type.BOOL, "false", Effect.IGNORED,
            "the line format is set by --log-format"),
    SKIP_LOG_HEADERS(Group.KLOG, "skip_log_headers", Type.BOOL, "false", Effect.IGNORED, "logs always go to stderr"),
    LOG_DIR(Group.KLOG, "log_dir", Type.STRING, "", Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
    LOG_FILE(Group.KLOG, "log_file", Type.STRING, "", Effect.IGNORED_WITH_NOTICE, "logs go to stderr"),
    LOG_FILE_MAX_SIZE(Group.KLOG, "log_file_max_size", Type.INT, "1800", Effect.IGNORED_WITH_NOTICE,
            "logs go to stderr"),
    LOG_BACKTRACE_AT(Group.KLOG, "log_backtrace_at", Type.STRING, ":0", Effect.IGNORED_WITH_NOTICE,
            "logs go to stderr"),
    STDERRTHRESHOLD(Group.KLOG, "stderrthreshold", Type.STRING, "2", Effect.IGNORED_WITH_NOTICE, "logs go to stderr");

    /** Prefix of the configuration property of every setting: {@code --port} is {@code webhook.port}. */
    public static final String PROPERTY_PREFIX = "webhook.";

    private final Group group;
    private final String longName;
    private final List<String> aliases;
    private final Type type;
    private final String defaultValue;
    private final Effect effect;
    private final String help;

    /** A setting: the flag sets the property {@code webhook.<name>}. */
    Flag(Group group, String longName, Type type, String defaultValue, String help) {
        this(group, longName, List.of(), type, defaultValue, Effect.PROPERTY, help);
    }

    /** A klog flag; klog registers underscores, people often write dashes, so both are accepted. */
    Flag(Group group, String longName, Type type, String defaultValue, Effect effect, String reason) {
        this(group, longName, longName.contains("_") ? List.of(longName.replace('_', '-')) : List.of(), type,
                defaultValue, effect, reason);
    }

    Flag(Group group, String longName, List<String> aliases, Type type, String defaultValue, Effect effect,
            String help) {
        this.group = group;
        this.longName = longName;
        this.aliases = aliases;
        this.type = type;
        this.defaultValue = defaultValue;
        this.effect = effect;
        this.help = help;
    }

    /** The name written after {@code --} (or {@code -}). */
    public String longName() {
        return longName;
    }

    /** Other accepted names, such as {@code h} for {@code help} or {@code log-dir} for {@code log_dir}. */
    public List<String> aliases() {
        return aliases;
    }

    public Type type() {
        return type;
    }

    /** The value used when the setting is given nowhere, in the flag's own syntax. */
    public String defaultValue() {
        return defaultValue;
    }

    public Group group() {
        return group;
    }

    public Effect effect() {
        return effect;
    }

    /** One line for {@code --help}; for ignored flags, the reason they are ignored. */
    public String help() {
        return help;
    }

    /** The configuration property of a setting ({@code webhook.port}); {@code null} for other flags. */
    public String property() {
        if (effect != Effect.PROPERTY) {
            return null;
        }
        return PROPERTY_PREFIX + (this == V ? "log-verbosity" : longName);
    }

    /** The environment variable of a setting ({@code WEBHOOK_METRICS_PORT}); {@code null} for other flags. */
    public String environmentVariable() {
        String property = property();
        return property == null ? null : property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The syntax of a setting's value. */
    public enum Type {
        /** Go {@code strconv.ParseBool}; stored as {@code true} or {@code false}. */
        BOOL("bool"),
        /** A Go int (64 bits); stored in decimal. */
        INT("int"),
        /** A Go int from 1 to 65535. */
        PORT("int"),
        /** Any text. */
        STRING("string"),
        /** A Go duration such as {@code 1m30s} ({@link GoDuration}), not negative. */
        DURATION("duration"),
        /** A Go duration above zero. */
        POSITIVE_DURATION("duration"),
        /** A value accepted by {@link TlsPolicy#from} as minimum version. */
        TLS_VERSION("string"),
        /** Comma-separated Go cipher suite names accepted by {@link TlsPolicy#from}. */
        CIPHER_SUITES("string"),
        /** {@code text} or {@code json}. */
        LOG_FORMAT("string");

        private final String goName;

        Type(String goName) {
            this.goName = goName;
        }

        /** The type name pflag would print in {@code --help}. */
        public String goName() {
            return goName;
        }

        /**
         * Checks a value against the type and returns the form to store.
         *
         * @param source how the value was given, for the message: {@code --port} or {@code WEBHOOK_PORT}
         * @throws FlagException one line naming {@code source} and what was expected
         */
        String checked(String source, String value) {
            switch (this) {
                case BOOL -> {
                    Boolean parsed = GoStrconv.parseBool(value);
                    if (parsed == null) {
                        throw new FlagException(source + ": \"" + value + "\" is not a boolean; expected true or false");
                    }
                    return parsed.toString();
                }
                case INT, PORT -> {
                    Long parsed = GoStrconv.parseInt(value);
                    if (parsed == null) {
                        throw new FlagException(source + ": \"" + value + "\" is not an integer");
                    }
                    if (this == PORT && (parsed < 1 || parsed > 65535)) {
                        throw new FlagException(source + ": \"" + value + "\" is not a port number (1-65535)");
                    }
                    return parsed.toString();
                }
                case DURATION, POSITIVE_DURATION -> {
                    Duration parsed;
                    try {
                        parsed = GoDuration.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new FlagException(source + ": " + e.getMessage());
                    }
                    if (parsed.isNegative() || (this == POSITIVE_DURATION && parsed.isZero())) {
                        throw new FlagException(source + ": \"" + value + "\" must be "
                                + (this == DURATION ? "zero or more" : "more than zero"));
                    }
                    return value;
                }
                case TLS_VERSION, CIPHER_SUITES -> {
                    try {
                        // Each alone, so the error points at the setting just read.
                        boolean isVersion = this == TLS_VERSION;
                        TlsPolicy.from(isVersion ? value : "", isVersion ? "" : value);
                    } catch (IllegalArgumentException e) {
                        throw new FlagException(e.getMessage()); // already names the flag
                    }
                    return value;
                }
                case LOG_FORMAT -> {
                    if (!value.equals("text") && !value.equals("json")) {
                        throw new FlagException(source + ": \"" + value + "\" is not a log format; expected text or json");
                    }
                    return value;
                }
                default -> {
                    return value;
                }
            }
        }
    }

    /** What giving a flag does. */
    public enum Effect {
        /** The value is the setting {@link Flag#property()}. */
        PROPERTY,
        /** Asks for the usage text. */
        HELP,
        /** Asks for the version. */
        VERSION,
        /** Accepted so existing manifests keep working; has no effect and says nothing. */
        IGNORED,
        /** Accepted and ignored, with a notice giving {@link Flag#help()} as the reason. */
        IGNORED_WITH_NOTICE,
        /** Accepted and ignored; a notice is given when it is set to false. */
        IGNORED_NOTICE_IF_FALSE
    }

    /** The sections of {@code --help}, in the order they are printed. */
    public enum Group {
        WEBHOOK("Webhook"),
        TLS("TLS"),
        CLUSTER("Cluster"),
        CONTAINER_CREDENTIALS("Container credentials (EKS Pod Identity)"),
        PROJECT("This project"),
        KLOG("klog compatibility");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }
}
