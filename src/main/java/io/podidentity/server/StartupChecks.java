package io.podidentity.server;

import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
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
import java.util.List;

/**
 * What can be wrong with a configuration beyond its values, found before Quarkus starts and
 * reported as one line naming the setting: ports that cannot be bound, no cluster to watch, an
 * unreadable objects file, a missing or mismatched certificate, no AWS account for
 * {@code --compose-role-arn}. Two settings are completed here: the certificate files of a
 * first standalone run (generated once) and the account asked from EC2 instance metadata.
 */
public final class StartupChecks {

    private StartupChecks() {}

    /**
     * @return {@code config}, with the generated certificate's files and the resolved account
     * @throws IllegalArgumentException one line naming the setting and the fix
     */
    public static WebhookConfig check(WebhookConfig config) {
        bindable(Flag.PORT, config.port(Flag.PORT));
        bindable(Flag.METRICS_PORT, config.port(Flag.METRICS_PORT));
        if (config.bool(Flag.IN_CLUSTER) && !config.standalone()) {
            System.err.println("notice: --in-cluster=true: upstream's certificate-signing-request mode is not "
                    + "supported; serving the certificate from --tls-cert/--tls-key");
        }
        objectsFile(config);
        clusterReachable(config);
        return certificate(composedRoleArns(config));
    }

    /**
     * Binds the port once and lets go, so that the reason it cannot be bound is said here, in
     * the words of the fix, rather than as Quarkus's "Port 443 seems to be in use by another
     * process" (its answer to every bind failure). Upstream's manifests pass no --port (443)
     * and run as root; this image runs as 65534.
     */
    private static void bindable(Flag flag, int port) {
        String host = System.getProperty(flag == Flag.PORT ? "quarkus.http.host" : "quarkus.management.host", "0.0.0.0");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("Permission denied") || reason.contains("Access denied")) {
                throw new IllegalArgumentException("--" + flag.longName() + " " + port + ": permission denied: binding a port below "
                        + unprivilegedPortStart() + " needs root or CAP_NET_BIND_SERVICE, and this process runs as UID "
                        + uid() + ". Pass --" + flag.longName() + "=8443 (and point the Service's targetPort at it, as deploy/ "
                        + "does), or run where unprivileged low ports are allowed (containerd's "
                        + "enable_unprivileged_ports, which sets net.ipv4.ip_unprivileged_port_start=0 in the pod)");
            }
            throw new IllegalArgumentException("--" + flag.longName() + " " + port + ": cannot listen on " + host + ":" + port
                    + ": " + reason + " (another process already listens there?)");
        } catch (IOException e) {
            throw new IllegalArgumentException("--" + flag.longName() + " " + port + ": cannot listen on " + host + ":" + port
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

    /**
     * {@code --compose-role-arn} needs an account: from {@code --aws-account-id}, else asked once
     * from EC2 instance metadata here and passed on, so a failure is one line at startup.
     */
    private static WebhookConfig composedRoleArns(WebhookConfig config) {
        if (!config.bool(Flag.COMPOSE_ROLE_ARN)) {
            return config;
        }
        AwsAccount account = AwsAccount.of(config);
        return config.with(Flag.AWS_ACCOUNT_ID, account.accountId()).with(Flag.AWS_PARTITION, account.partition());
    }

    /**
     * Without a file, a kubeconfig, an API URL or a pod's service account there is nothing to
     * watch; say so instead of retrying an unreachable in-cluster address forever.
     */
    private static void clusterReachable(WebhookConfig config) {
        String kubeconfig = config.string(Flag.KUBECONFIG);
        if (!kubeconfig.isEmpty() && !Files.isReadable(Path.of(kubeconfig))) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": file does not exist or cannot be read");
        }
        if (config.standalone() || !kubeconfig.isEmpty() || config.optional(Flag.KUBE_API).isPresent()
                || System.getenv("KUBERNETES_SERVICE_HOST") != null || System.getenv("KUBECONFIG") != null
                || Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"))) {
            return;
        }
        throw new IllegalArgumentException("no cluster to watch: pass --kubeconfig or --kube-api, run in a pod, "
                + "or use --objects-file=FILE for standalone mode");
    }

    /** Standalone mode's file is the whole state: a broken one stops startup with its problem. */
    private static void objectsFile(WebhookConfig config) {
        if (!config.standalone()) {
            return;
        }
        String file = config.string(Flag.OBJECTS_FILE);
        try {
            ObjectsFile.parse(Files.readAllBytes(Path.of(file)), config.string(Flag.ANNOTATION_PREFIX),
                    config.string(Flag.NAMESPACE));
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
    private static WebhookConfig certificate(WebhookConfig config) {
        String cert = config.string(Flag.TLS_CERT);
        String key = config.string(Flag.TLS_KEY);
        boolean defaults = cert.equals(Flag.TLS_CERT.defaultValue()) && key.equals(Flag.TLS_KEY.defaultValue());
        boolean missing = !Files.exists(Path.of(cert)) && !Files.exists(Path.of(key));
        if (missing && !config.standalone()) {
            throw new IllegalArgumentException("no serving certificate: " + cert + " and " + key + " do not exist. "
                    + "The API server only calls a webhook whose certificate its caBundle trusts: mount the "
                    + "Secret cert-manager issues (deploy/base does) or pass --tls-cert and --tls-key; only "
                    + "standalone mode (--objects-file) generates a self-signed certificate");
        }
        if (defaults && missing) {
            Path dir = config.optional(Flag.SELF_SIGNED_CERT_DIR).map(Path::of)
                    .orElseGet(SelfSignedCertificates::defaultDirectory);
            String service = config.string(Flag.SERVICE_NAME);
            String namespace = config.string(Flag.NAMESPACE);
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
        PemFiles.readKeyPair(Path.of(cert), Path.of(key));
        return config.with(Flag.TLS_CERT, cert).with(Flag.TLS_KEY, key);
    }
}
