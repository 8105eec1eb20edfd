package io.podidentity.e2e;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.podidentity.tls.GeneratedCertificate;
import io.podidentity.testing.FreePorts;
import io.podidentity.testing.TlsContexts;
import io.podidentity.testing.Waiting;
import io.podidentity.tls.SelfSignedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged webhook (the jar, or the native executable: {@link Launcher}) running as its own
 * process on loopback, talking to the {@link ControlPlane}, and the MutatingWebhookConfigurations that point
 * the API server at it. {@link #close()} removes the registrations and stops the process.
 */
public final class Webhook implements AutoCloseable {

    /** Role of the ServiceAccount {@link #register} uses to see that the API server calls the webhook. */
    static final String PROBE_ROLE = "arn:aws:iam::000000000000:role/e2e-probe";
    private static final String PROBE_SERVICE_ACCOUNT = "e2e-probe";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ControlPlane controlPlane;
    private final Path dir;
    private final List<String> flags;
    private final GeneratedCertificate certificate;
    private final HttpClient https;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;
    private final int metricsPort;
    private final List<String> registrations = new ArrayList<>();
    private Process process;

    private Webhook(ControlPlane controlPlane, Path dir, List<String> flags) {
        this.controlPlane = controlPlane;
        this.dir = dir;
        this.flags = List.copyOf(flags);
        this.certificate = SelfSignedCertificates.generate(dir.resolve("certs"), List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(2));
        this.https = trusting(certificate.caCertificate());
        this.port = freePort();
        this.metricsPort = freePort();
    }

    /**
     * Starts the webhook with {@code --namespace=namespace} (where it looks for its ConfigMap),
     * debugging handlers on, and {@code extraFlags}; returns once {@code /readyz} answers 200.
     *
     * @param dir its certificate and log ({@code webhook.log}) go here
     */
    public static Webhook start(ControlPlane controlPlane, Path dir, String namespace, String... extraFlags) {
        Webhook webhook = launch(controlPlane, dir, namespace, extraFlags);
        webhook.awaitReady();
        return webhook;
    }

    /** As {@link #start(ControlPlane, Path, String, String...)}, but returns as soon as the process runs. */
    public static Webhook launch(ControlPlane controlPlane, Path dir, String namespace, String... extraFlags) {
        // No pre-shutdown delay unless a test asks for one (extraFlags come later and win): nothing
        // routes to these processes through a Service, and every stop would wait for it.
        List<String> flags = new ArrayList<>(List.of("--namespace=" + namespace, "--enable-debugging-handlers",
                "--shutdown-delay=0s"));
        flags.addAll(List.of(extraFlags));
        Webhook webhook = new Webhook(controlPlane, dir, flags);
        webhook.launch();
        return webhook;
    }

    /** Starts the process again (after {@link #stop()}) with the same flags, ports and certificate. */
    public void start() {
        launch();
        awaitReady();
    }

    private void launch() {
        // Loopback only: the upstream flags have no listen address, Quarkus configuration does.
        List<String> command = new ArrayList<>(Launcher.command("quarkus.http.host=127.0.0.1",
                "quarkus.management.host=127.0.0.1"));
        command.addAll(List.of(
                "--kubeconfig=" + controlPlane.kubeconfig(),
                "--tls-cert=" + certificate.certificate(),
                "--tls-key=" + certificate.privateKey(),
                "--port=" + port,
                "--metrics-port=" + metricsPort));
        command.addAll(flags);
        try {
            Files.createDirectories(dir);
            Files.writeString(log(), "\n=== " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook", e);
        }
    }

    /** Returns once {@code /readyz} answers 200; fails if the process exits first or after a minute. */
    public void awaitReady() {
        boolean ready = Waiting.within(READY_TIMEOUT, Duration.ofMillis(200), () -> {
            if (readyzStatus() == 200) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("webhook exited with " + process.exitValue() + " before it was ready:\n"
                        + logTail());
            }
            return false;
        });
        if (!ready) {
            throw new IllegalStateException("webhook not ready within " + READY_TIMEOUT + ":\n" + logTail());
        }
    }

    /** Stops the process and fails unless it drained and exited 0 on SIGTERM (SPEC §4). */
    public void stopCleanly() {
        int code = stop();
        if (code != 0) {
            throw new AssertionError("webhook exited " + code + " after SIGTERM; log:\n" + logTail());
        }
    }

    /** Sends SIGTERM and returns the exit code; the process gets 20 s to finish. */
    public int stop() {
        if (process == null) {
            return 0;
        }
        signalTerm();
        return awaitExit();
    }

    /** Sends SIGTERM and returns at once. */
    public void signalTerm() {
        process.destroy();
    }

    /** Waits up to 20 s for the process to exit after {@link #signalTerm()} and returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("webhook ignored SIGTERM for 20 s:\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int code = process.exitValue();
        process = null;
        return code;
    }

    /**
     * Registers this webhook for pod CREATE in {@code namespace} only (so that tests cannot
     * disturb each other), opting out pods labelled {@code eks.amazonaws.com/skip-pod-identity-webhook},
     * then waits until the API server really calls it: a dry-run pod of a probe ServiceAccount
     * comes back mutated.
     *
     * @param admissionReviewVersions e.g. {@code List.of("v1")}
     * @param failurePolicy {@code Fail} or {@code Ignore}
     */
    public void register(String namespace, List<String> admissionReviewVersions, String failurePolicy) {
        String name = "pod-identity-" + namespace;
        byte[] ca;
        try {
            ca = Files.readAllBytes(certificate.caCertificate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MutatingWebhookConfiguration configuration = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .addNewWebhook()
                .withName("pod-identity-webhook.e2e.podidentity.io")
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + port + "/mutate")
                .withCaBundle(Base64.getEncoder().encodeToString(ca))
                .endClientConfig()
                .addNewRule()
                .withOperations("CREATE")
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("pods")
                .endRule()
                .withAdmissionReviewVersions(admissionReviewVersions)
                .withSideEffects("None")
                .withFailurePolicy(failurePolicy)
                .withTimeoutSeconds(10)
                .withNewNamespaceSelector()
                .addNewMatchExpression()
                .withKey("kubernetes.io/metadata.name").withOperator("In").withValues(namespace)
                .endMatchExpression()
                .endNamespaceSelector()
                .withNewObjectSelector()
                .addNewMatchExpression()
                .withKey("eks.amazonaws.com/skip-pod-identity-webhook").withOperator("DoesNotExist")
                .endMatchExpression()
                .endObjectSelector()
                .endWebhook()
                .build();
        controlPlane.client().admissionRegistration().v1().mutatingWebhookConfigurations()
                .resource(configuration).createOr(existing -> existing.update());
        registrations.add(name);
        awaitCalledFor(namespace);
    }

    private void awaitCalledFor(String namespace) {
        if (controlPlane.client().serviceAccounts().inNamespace(namespace).withName(PROBE_SERVICE_ACCOUNT).get() == null) {
            controlPlane.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(PROBE_SERVICE_ACCOUNT)
                    .addToAnnotations("eks.amazonaws.com/role-arn", PROBE_ROLE).endMetadata()
                    .build()).create();
        }
        awaitCache("ServiceAccount " + namespace + "/" + PROBE_SERVICE_ACCOUNT, cache -> cache.contains(PROBE_ROLE));
        Poll.until(Duration.ofSeconds(30), "the API server to call the webhook registered for " + namespace, () -> {
            var pod = controlPlane.client().pods().inNamespace(namespace).resource(Pods.typed(Pods.simple("probe",
                    PROBE_SERVICE_ACCOUNT))).dryRun().create();
            return Pods.env(pod.getSpec().getContainers().get(0)).containsKey("AWS_ROLE_ARN");
        });
    }

    /** Waits until the webhook's cache dump ({@code /debug/alpha/cache}) satisfies {@code condition}. */
    public void awaitCache(String what, Predicate<String> condition) {
        Poll.until(Duration.ofSeconds(60), what + " in the webhook's cache", () -> condition.test(cache()));
    }

    /** The webhook's cache dump ({@code /debug/alpha/cache} on the metrics port). */
    public String cache() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/debug/alpha/cache"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Empties the webhook's ServiceAccount and ConfigMap caches ({@code /debug/alpha/cache/clear}). */
    public void clearCache() {
        String answer = metricsGet("/debug/alpha/cache/clear");
        if (!answer.contains("cleared")) {
            throw new IllegalStateException("cache not cleared: " + answer);
        }
    }

    private String metricsGet(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on the metrics port", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path log() {
        return dir.resolve("webhook.log");
    }

    /** An address on the webhook's HTTPS port. */
    public URI url(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    /** An address on the plain-HTTP metrics port. */
    public URI metricsUrl(String path) {
        return URI.create("http://127.0.0.1:" + metricsPort + path);
    }

    /** The CA the serving certificate is signed by. */
    public Path caCertificate() {
        return certificate.caCertificate();
    }

    public String logTail() {
        return Processes.tail(log(), 60);
    }

    @Override
    public void close() {
        for (String name : registrations) {
            controlPlane.client().admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete();
        }
        registrations.clear();
        stop();
    }

    /** The status {@code /readyz} answers with, -1 when nothing answers. */
    public int readyzStatus() {
        try {
            return https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpClient trusting(Path caCertificate) {
        return HttpClient.newBuilder().sslContext(TlsContexts.trusting(caCertificate)).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** A loopback port nothing listens on at the moment, never the same twice in this JVM. */
    static int freePort() {
        return FreePorts.next();
    }

    /** The packaged executable with a toolkit subcommand, as {@code /webhook oidc ...} runs in the image. */
    static Processes.Result toolkit(String... args) {
        List<String> command = new ArrayList<>(Launcher.command());
        command.addAll(List.of(args));
        return Processes.run(Duration.ofMinutes(1), null, command.toArray(String[]::new));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
