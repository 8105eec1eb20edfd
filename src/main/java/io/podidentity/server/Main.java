package io.podidentity.server;

import io.podidentity.cli.Cli;
import io.podidentity.config.FlagException;
import io.podidentity.config.GoDuration;
import io.podidentity.config.ParsedFlags;
import io.podidentity.config.TlsPolicy;
import io.podidentity.config.UpstreamFlags;
import io.podidentity.identity.ObjectsFile;
import io.podidentity.tls.GeneratedCertificate;
import io.podidentity.tls.PemFiles;
import io.podidentity.tls.SelfSignedCertificates;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The executable: upstream's command line in, Quarkus configuration out, then the server runs.
 * Everything that can be wrong with the settings is found here and reported in one line (exit 2)
 * before the server starts. The toolkit subcommands ({@code oidc ...}, {@code mutate}) are
 * dispatched first and never start the server.
 */
@QuarkusMain
public final class Main {

    static final String DEFAULT_CERT = "/etc/webhook/certs/tls.crt";
    static final String DEFAULT_KEY = "/etc/webhook/certs/tls.key";

    private Main() {}

    public static void main(String... args) {
        // The toolkit subcommands run here, before Quarkus boots: fast, and they never open a port.
        if (Cli.handles(args)) {
            System.exit(Cli.run(System.out, System.err, args));
            return;
        }
        ParsedFlags flags;
        try {
            flags = UpstreamFlags.parse(args);
            if (flags.help()) {
                System.out.println(UpstreamFlags.usage());
                return;
            }
            if (flags.version()) {
                System.out.println(Version.current());
                return;
            }
            if (!flags.positional().isEmpty()) {
                throw new FlagException("unexpected argument \"" + flags.positional().get(0)
                        + "\" (flags start with --; see --help)");
            }
            flags.properties().forEach(System::setProperty);
            flags.notices().forEach(notice -> System.err.println("notice: " + notice));
            prepare();
        } catch (FlagException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        // SIGTERM is the normal way a pod stops: drain (quarkus.shutdown.timeout) and exit 0, not 143.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        Quarkus.run(args);
    }

    /** Translates the settings Quarkus needs in its own terms and checks the certificate files. */
    private static void prepare() {
        TlsPolicy tls = TlsPolicy.from(setting("tls-min-version", ""), setting("tls-cipher-suites", ""));
        System.setProperty("quarkus.tls.webhook.protocols", String.join(",", tls.protocols()));
        if (!tls.cipherSuites().isEmpty()) {
            System.setProperty("quarkus.tls.webhook.cipher-suites", String.join(",", tls.cipherSuites()));
        }
        Duration reload = GoDuration.parse(setting("tls-reload-period", "10s"));
        if (reload.isNegative() || reload.isZero()) {
            throw new IllegalArgumentException("--tls-reload-period must be positive");
        }
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
        certificate();
    }

    /**
     * Without a file, a kubeconfig, an API URL or a pod's service account there is nothing to
     * watch; say so instead of retrying an unreachable in-cluster address forever.
     */
    private static void clusterReachable() {
        if (!setting("objects-file", "").isEmpty() || !setting("kubeconfig", "").isEmpty()
                || !setting("kube-api", "").isEmpty() || System.getenv("KUBERNETES_SERVICE_HOST") != null
                || System.getenv("KUBECONFIG") != null
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
            ObjectsFile.parse(Files.readAllBytes(Path.of(file)), setting("annotation-prefix", "eks.amazonaws.com"),
                    setting("namespace", "eks"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--objects-file " + file + ": cannot be read (" + e + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--objects-file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The serving certificate: the configured files when they exist; when the default paths are
     * empty (a first run outside a cluster), a self-signed CA and certificate generated once.
     */
    private static void certificate() {
        String cert = setting("tls-cert", DEFAULT_CERT);
        String key = setting("tls-key", DEFAULT_KEY);
        boolean defaults = cert.equals(DEFAULT_CERT) && key.equals(DEFAULT_KEY);
        if (defaults && !Files.exists(Path.of(cert)) && !Files.exists(Path.of(key))) {
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
