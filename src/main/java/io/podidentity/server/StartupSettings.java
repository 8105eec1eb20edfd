package io.podidentity.server;

import io.podidentity.config.GoDuration;
import io.podidentity.config.TlsPolicy;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.tls.GeneratedCertificate;
import io.podidentity.tls.PemFiles;
import io.podidentity.tls.SelfSignedCertificates;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that can be wrong with the settings, found before Quarkus starts and reported as
 * one line naming the setting; and the settings Quarkus needs in its own terms (TLS protocols and
 * ciphers, log format and level, the certificate files, a generated certificate on a first run).
 * Settings are read as configuration resolves them: flag (system property), environment, default.
 */
public final class StartupSettings {

    static final String DEFAULT_CERT = "/etc/webhook/certs/tls.crt";
    static final String DEFAULT_KEY = "/etc/webhook/certs/tls.key";

    /** The objects file as validated here, so the first load need not parse the same bytes again. */
    private record ValidatedObjects(byte[] content, String annotationPrefix, String namespace, ObjectsFile objects) {}

    private static volatile ValidatedObjects validatedObjects;

    private StartupSettings() {}

    /**
     * The objects file parsed from {@code content}: the result of the validation at startup when
     * the file has not changed since (and only once), else a fresh parse.
     */
    static ObjectsFile objectsFile(byte[] content, String annotationPrefix, String namespace) {
        ValidatedObjects validated = validatedObjects;
        validatedObjects = null;
        if (validated != null && Arrays.equals(validated.content(), content)
                && validated.annotationPrefix().equals(annotationPrefix) && validated.namespace().equals(namespace)) {
            return validated.objects();
        }
        return ObjectsFile.parse(content, annotationPrefix, namespace);
    }

    /** Checks the settings and translates those Quarkus needs into its own properties. */
    public static void apply() {
        ports();
        TlsPolicy tls = TlsPolicy.from(setting("tls-min-version", ""), setting("tls-cipher-suites", ""));
        System.setProperty("quarkus.tls.webhook.protocols", String.join(",", tls.protocols()));
        if (!tls.cipherSuites().isEmpty()) {
            System.setProperty("quarkus.tls.webhook.cipher-suites", String.join(",", tls.cipherSuites()));
        }
        Duration reload = GoDuration.parse(setting("tls-reload-period", "10s"));
        if (reload.isNegative() || reload.isZero()) {
            throw new IllegalArgumentException("--tls-reload-period must be positive");
        }
        shutdownDelay();
        for (String duration : List.of("service-account-lookup-grace-period", "resync-period")) {
            if (GoDuration.parse(setting(duration, "0")).isNegative()) {
                throw new IllegalArgumentException("--" + duration + " must not be negative");
            }
        }
        if (Integer.parseInt(setting("log-verbosity", "0")) >= 4) {
            System.setProperty("quarkus.log.category.\"io.podidentity\".level", "DEBUG");
        }
        String format = setting("log-format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--log-format: \"" + format + "\" is not text or json");
        }
        System.setProperty("quarkus.log.console.json.enabled", Boolean.toString(format.equals("json")));
        if (Boolean.parseBoolean(setting("in-cluster", "true"))
                && setting("objects-file", "").isEmpty()) {
            System.err.println("notice: --in-cluster=true: upstream's certificate-signing-request mode is not "
                    + "supported; serving the certificate from --tls-cert/--tls-key");
        }
        objectsFile();
        clusterReachable();
        composedRoleArns();
        certificate();
    }

    /**
     * Quarkus's pre-shutdown phase: SIGTERM first marks the webhook not ready and keeps serving
     * for --shutdown-delay, then the graceful phase serves what is in flight (HTTP/2 connections
     * get a GOAWAY, so the API server moves to another replica without losing a request). Measured
     * on the real node (RealNodeIT): without it, a rollout restart lost an admission to "connection
     * refused" while kube-proxy still routed to the stopped replica. Standalone mode has no
     * Service to leave: no delay there unless asked for.
     */
    private static void shutdownDelay() {
        String fallback = setting("objects-file", "").isEmpty() ? "5s" : "0";
        Duration delay = GoDuration.parse(setting("shutdown-delay", fallback));
        if (delay.isNegative()) {
            throw new IllegalArgumentException("--shutdown-delay must not be negative");
        }
        System.setProperty("quarkus.shutdown.delay", delay.toMillis() + "ms");
    }

    private static void ports() {
        int port = port("port", "443");
        int metrics = port("metrics-port", "9999");
        if (port == metrics) {
            throw new IllegalArgumentException("--port and --metrics-port are both " + port + "; they must differ");
        }
        bindable("port", port);
        bindable("metrics-port", metrics);
    }

    /**
     * Binds the port once and lets go, so that the reason it cannot be bound is said here, in
     * the words of the fix, rather than as Quarkus's "Port 443 seems to be in use by another
     * process" (its answer to every bind failure). Upstream's manifests pass no --port (443)
     * and run as root; this image runs as 65534.
     */
    private static void bindable(String flag, int port) {
        String host = System.getProperty(flag.equals("port") ? "quarkus.http.host" : "quarkus.management.host", "0.0.0.0");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("Permission denied") || reason.contains("Access denied")) {
                throw new IllegalArgumentException("--" + flag + " " + port + ": permission denied: binding a port below "
                        + unprivilegedPortStart() + " needs root or CAP_NET_BIND_SERVICE, and this process runs as UID "
                        + uid() + ". Pass --" + flag + "=8443 (and point the Service's targetPort at it, as deploy/ "
                        + "does), or run where unprivileged low ports are allowed (containerd's "
                        + "enable_unprivileged_ports, which sets net.ipv4.ip_unprivileged_port_start=0 in the pod)");
            }
            throw new IllegalArgumentException("--" + flag + " " + port + ": cannot listen on " + host + ":" + port
                    + ": " + reason + " (another process already listens there?)");
        } catch (IOException e) {
            throw new IllegalArgumentException("--" + flag + " " + port + ": cannot listen on " + host + ":" + port
                    + ": " + e.getMessage());
        }
    }

    private static String unprivilegedPortStart() {
        try {
            // Through a reader: procfs reports a size of 0, and Files.readString then returns one byte.
            return Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).get(0).strip();
        } catch (IOException | RuntimeException e) {
            return "1024";
        }
    }

    private static String uid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static int port(String name, String fallback) {
        String raw = setting(name, fallback);
        try {
            int port = Integer.parseInt(raw);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + ": \"" + raw + "\" is not a port number (1-65535)");
    }

    /**
     * {@code --compose-role-arn} needs an account: from {@code --aws-account-id}, else asked once
     * from EC2 instance metadata here and passed on, so a failure is one line at startup.
     */
    private static void composedRoleArns() {
        if (!Boolean.parseBoolean(setting("compose-role-arn", "false"))) {
            return;
        }
        AwsAccount account = AwsAccount.resolve(setting("aws-account-id", ""), setting("aws-default-region", ""),
                setting("aws-partition", ""));
        System.setProperty("webhook.aws-account-id", account.accountId());
        System.setProperty("webhook.aws-partition", account.partition());
    }

    /**
     * Without a file, a kubeconfig, an API URL or a pod's service account there is nothing to
     * watch; say so instead of retrying an unreachable in-cluster address forever.
     */
    private static void clusterReachable() {
        String kubeconfig = setting("kubeconfig", "");
        if (!kubeconfig.isEmpty() && !Files.isReadable(Path.of(kubeconfig))) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": file does not exist or cannot be read");
        }
        if (!setting("objects-file", "").isEmpty() || !kubeconfig.isEmpty() || !setting("kube-api", "").isEmpty()
                || System.getenv("KUBERNETES_SERVICE_HOST") != null || System.getenv("KUBECONFIG") != null
                || Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"))) {
            return;
        }
        throw new IllegalArgumentException("no cluster to watch: pass --kubeconfig or --kube-api, run in a pod, "
                + "or use --objects-file=FILE for standalone mode");
    }

    /** Standalone mode's file is the whole state: a broken one stops startup with its problem. */
    private static void objectsFile() {
        String file = setting("objects-file", "");
        if (file.isEmpty()) {
            return;
        }
        try {
            byte[] content = Files.readAllBytes(Path.of(file));
            String prefix = setting("annotation-prefix", "eks.amazonaws.com");
            String namespace = setting("namespace", "eks");
            validatedObjects = new ValidatedObjects(content, prefix, namespace, ObjectsFile.parse(content, prefix, namespace));
        } catch (IOException e) {
            throw new IllegalArgumentException("--objects-file " + file + ": cannot be read (" + e + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--objects-file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The serving certificate: the configured files when they exist. In standalone mode, when
     * the default paths are empty (a first run on a laptop), a self-signed CA and certificate
     * generated once. Never in cluster mode: the API server could not trust it, and with
     * failurePolicy Ignore every pod would start without credentials and nothing would say so.
     */
    private static void certificate() {
        String cert = setting("tls-cert", DEFAULT_CERT);
        String key = setting("tls-key", DEFAULT_KEY);
        boolean defaults = cert.equals(DEFAULT_CERT) && key.equals(DEFAULT_KEY);
        boolean missing = !Files.exists(Path.of(cert)) && !Files.exists(Path.of(key));
        if (missing && setting("objects-file", "").isEmpty()) {
            throw new IllegalArgumentException("no serving certificate: " + cert + " and " + key + " do not exist. "
                    + "The API server only calls a webhook whose certificate its caBundle trusts: mount the "
                    + "Secret cert-manager issues (deploy/base does) or pass --tls-cert and --tls-key; only "
                    + "standalone mode (--objects-file) generates a self-signed certificate");
        }
        if (defaults && missing) {
            Path dir = setting("self-signed-cert-dir", "").isEmpty()
                    ? SelfSignedCertificates.defaultDirectory()
                    : Path.of(setting("self-signed-cert-dir", ""));
            String service = setting("service-name", "pod-identity-webhook");
            String namespace = setting("namespace", "eks");
            GeneratedCertificate generated = SelfSignedCertificates.generate(
                    dir,
                    List.of("localhost", service, service + "." + namespace, service + "." + namespace + ".svc"),
                    List.of("127.0.0.1", "::1"),
                    Duration.ofDays(365));
            System.err.println("notice: no certificate at " + cert + "; " + (generated.reused() ? "reusing" : "generated")
                    + " a self-signed one. CA for clients (curl --cacert): " + generated.caCertificate());
            cert = generated.certificate().toString();
            key = generated.privateKey().toString();
        }
        PemFiles.validateKeyPair(Path.of(cert), Path.of(key));
        System.setProperty("webhook.tls-cert", cert);
        System.setProperty("webhook.tls-key", key);
    }

    /** A setting as configuration resolves it: flag (system property), environment, default. */
    private static String setting(String name, String fallback) {
        String value = System.getProperty("webhook." + name);
        if (value == null) {
            value = System.getenv("WEBHOOK_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        return value == null ? fallback : value;
    }
}
