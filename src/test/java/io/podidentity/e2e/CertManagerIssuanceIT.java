package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.podidentity.testing.TlsContexts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploy/base} with real cert-manager: the controller and cainjector built by
 * {@code e2e/certmanager/build.sh} issue the serving certificate through the base's issuer chain
 * and inject its CA into the MutatingWebhookConfiguration; the webhook, started with the
 * Deployment's own args and the issued key pair, is then called by the API server through that
 * configuration, and keeps serving through a renewal (new key) without a restart or an
 * unmutated admission. A test-only overlay adds 127.0.0.1 to the certificate and points
 * {@code clientConfig} at a URL (no kube-proxy here), limited to this test's namespace.
 */
@ExtendWith(ControlPlaneExtension.class)
class CertManagerIssuanceIT {

    private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();
    private static final Path WORK = Path.of("target", "e2e", "cert-manager").toAbsolutePath();
    private static final String NAME = "pod-identity-webhook";
    private static final String ROLE = "arn:aws:iam::111122223333:role/cert-manager-it";

    private final List<Process> processes = new ArrayList<>();

    /**
     * Stops cert-manager and the webhook, and deletes the test's webhook configuration and
     * disruption budget: their fields (the URL, minAvailable) would otherwise be merged into
     * DeployManifestsIT's server-side applies of the base and its components. The other objects
     * stay (a namespace never finishes deleting without a controller-manager).
     */
    @AfterEach
    void stopProcesses(ControlPlane controlPlane) throws InterruptedException {
        controlPlane.kubectl("delete", "mutatingwebhookconfiguration", NAME, "--ignore-not-found");
        controlPlane.kubectl("-n", NAME, "delete", "poddisruptionbudget", NAME, "--ignore-not-found");
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void certManagerIssuesAndInjectsAndTheApiServerCallsTheWebhookThroughIt(ControlPlane controlPlane)
            throws Exception {
        String namespace = controlPlane.createNamespace("cert-manager-issuance");
        int port = Webhook.freePort();
        Files.createDirectories(WORK);
        CertManagerCrds.install(controlPlane);
        Path rendered = renderTestOverlay(controlPlane, namespace, port);
        controlPlane.kubectl("apply", "--server-side", "--force-conflicts", "--field-manager=cert-manager-it",
                "-f", rendered.toString()).requireSuccess("apply deploy/base with the test overlay");

        Path bin = Path.of(lastLine(Processes.run(Duration.ofMinutes(20), null,
                CertManagerCrds.SCRIPTS.resolve("build.sh").toString())
                .requireSuccess("build cert-manager's controller and cainjector").stdout()));
        start(List.of(bin.resolve("controller").toString(), "--kubeconfig=" + controlPlane.kubeconfig()),
                WORK.resolve("controller.log"));
        start(List.of(bin.resolve("cainjector").toString(), "--kubeconfig=" + controlPlane.kubeconfig()),
                WORK.resolve("cainjector.log"));

        Poll.until(Duration.ofSeconds(120), "Certificate " + NAME + " to be Ready (" + WORK.resolve("controller.log")
                + ")", () -> "True".equals(controlPlane.kubectl("-n", NAME, "get", "certificate", NAME, "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout().strip()));
        JsonNode secret = Pods.tree(controlPlane.kubectl("-n", NAME, "get", "secret", NAME + "-cert", "-o", "json")
                .requireSuccess("read the issued Secret").stdout());
        byte[] ca = base64(secret.at("/data/ca.crt"));
        byte[] chain = base64(secret.at("/data/tls.crt"));
        byte[] key = base64(secret.at("/data/tls.key"));

        X509Certificate caCertificate = certificates(ca).get(0);
        X509Certificate leaf = certificates(chain).get(0);
        assertTrue(caCertificate.getBasicConstraints() >= 0, "ca.crt is a CA certificate");
        assertEquals(caCertificate.getSubjectX500Principal(), caCertificate.getIssuerX500Principal(),
                "the CA is the self-signed root");
        assertEquals(caCertificate.getSubjectX500Principal(), leaf.getIssuerX500Principal(),
                "the serving certificate is signed by the CA, not self-signed");
        leaf.verify(caCertificate.getPublicKey());
        List<String> names = leaf.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList();
        assertTrue(names.containsAll(List.of(NAME, NAME + "." + NAME, NAME + "." + NAME + ".svc",
                NAME + "." + NAME + ".svc.cluster.local")), () -> "names " + names);
        assertEquals(Duration.ofHours(2160).toSeconds(),
                (leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime()) / 1000, "lifetime 2160h");
        assertEquals("EC", leaf.getPublicKey().getAlgorithm());

        Poll.until(Duration.ofSeconds(60), "cainjector to inject the CA (" + WORK.resolve("cainjector.log") + ")",
                () -> {
                    JsonNode configuration = Pods.tree(controlPlane.kubectl("get", "mutatingwebhookconfiguration",
                            NAME, "-o", "json").stdout());
                    JsonNode bundle = configuration.at("/webhooks/0/clientConfig/caBundle");
                    return !bundle.isMissingNode() && Arrays.equals(ca, base64(bundle));
                });

        Path certs = Files.createDirectories(WORK.resolve("certs"));
        Files.write(certs.resolve("tls.crt"), chain);
        Files.write(certs.resolve("tls.key"), key);
        startWebhook(controlPlane, rendered, certs, port);

        controlPlane.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("app").addToAnnotations("eks.amazonaws.com/role-arn", ROLE)
                .endMetadata().build()).create();
        Poll.until(Duration.ofSeconds(90), "a pod mutated through the cert-manager-issued configuration ("
                + WORK.resolve("webhook.log") + ")", () -> Pods.mutated(Pods.typed(controlPlane.rawCreate(
                        "/api/v1/namespaces/" + namespace + "/pods?dryRun=All", Pods.simple("probe", "app")))));
        String created = controlPlane.rawCreate("/api/v1/namespaces/" + namespace + "/pods",
                Pods.simple("app", "app"));
        assertEquals(ROLE, Pods.env(Pods.typed(created).getSpec().getContainers().get(0)).get("AWS_ROLE_ARN"));

        // Rotation: shortening the certificate to one hour, renewed 20 s after issuance, makes
        // cert-manager re-issue at once (the request no longer matches the spec) and then renew on
        // its own timer, each time with a new key. The test plays kubelet, copying the Secret into
        // the files; every admission meanwhile must be mutated (a failed call would come back
        // unmutated: failurePolicy Ignore). Three served serials: the original, the re-issue and
        // the timed renewal.
        BigInteger first = servedSerial(port, caCertificate);
        assertEquals(leaf.getSerialNumber(), first);
        controlPlane.kubectl("-n", NAME, "patch", "certificate", NAME, "--type=merge", "-p",
                "{\"spec\":{\"duration\":\"1h\",\"renewBefore\":\"59m40s\"}}")
                .requireSuccess("shorten the certificate's lifetime");
        AtomicInteger admissions = new AtomicInteger();
        Set<BigInteger> served = new HashSet<>(Set.of(first));
        Poll.until(Duration.ofSeconds(180), "the webhook to serve a re-issued, then a renewed certificate", () -> {
            Pod pod = Pods.typed(controlPlane.rawCreate("/api/v1/namespaces/" + namespace + "/pods?dryRun=All",
                    Pods.simple("rotation", "app")));
            if (!Pods.mutated(pod)) {
                throw new AssertionError("an admission during the rotation was not mutated; see "
                        + WORK.resolve("webhook.log"));
            }
            admissions.incrementAndGet();
            JsonNode current = Pods.tree(controlPlane.kubectl("-n", NAME, "get", "secret", NAME + "-cert", "-o",
                    "json").requireSuccess("read the Secret").stdout());
            byte[] currentChain = base64(current.at("/data/tls.crt"));
            if (!Arrays.equals(currentChain, Files.readAllBytes(certs.resolve("tls.crt")))) {
                replace(certs.resolve("tls.key"), base64(current.at("/data/tls.key")));
                replace(certs.resolve("tls.crt"), currentChain);
            }
            served.add(servedSerial(port, caCertificate));
            return served.size() >= 3;
        });
        X509Certificate renewed = certificates(Files.readAllBytes(certs.resolve("tls.crt"))).get(0);
        renewed.verify(caCertificate.getPublicKey());
        assertEquals(Duration.ofHours(1).toSeconds(),
                (renewed.getNotAfter().getTime() - renewed.getNotBefore().getTime()) / 1000, "lifetime 1h");
        assertTrue(admissions.get() > 0, "admissions were made during the rotation");
    }

    /** Writes next to the file and renames over it, so a reader never sees half a file. */
    private static void replace(Path file, byte[] content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.write(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The serial number of the certificate the webhook presents, verified against the CA. */
    private static BigInteger servedSerial(int port, X509Certificate ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) TlsContexts.trusting(ca).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** deploy/base, plus 127.0.0.1 in the certificate and a URL clientConfig for this namespace only. */
    private static Path renderTestOverlay(ControlPlane controlPlane, String namespace, int port) throws IOException {
        String kustomization = """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - target: {group: cert-manager.io, kind: Certificate, name: pod-identity-webhook}
                    patch: |-
                      - op: add
                        path: /spec/ipAddresses
                        value: ["127.0.0.1"]
                  - target: {group: admissionregistration.k8s.io, kind: MutatingWebhookConfiguration}
                    patch: |-
                      - op: remove
                        path: /webhooks/0/clientConfig/service
                      - op: add
                        path: /webhooks/0/clientConfig/url
                        value: https://127.0.0.1:%d/mutate
                      - op: add
                        path: /webhooks/0/namespaceSelector
                        value: {matchLabels: {kubernetes.io/metadata.name: %s}}
                """.formatted(WORK.relativize(DEPLOY.resolve("base")), port, namespace);
        Files.writeString(WORK.resolve("kustomization.yaml"), kustomization);
        Path rendered = WORK.resolve("rendered.yaml");
        Files.writeString(rendered, controlPlane.kubectl("kustomize", WORK.toString())
                .requireSuccess("render the test overlay").stdout());
        return rendered;
    }

    /** The jar with the rendered Deployment's args, then (the last occurrence wins) local overrides. */
    private void startWebhook(ControlPlane controlPlane, Path rendered, Path certs, int port) throws IOException {
        List<String> command = new ArrayList<>(Launcher.command("quarkus.http.host=127.0.0.1",
                "quarkus.management.host=127.0.0.1"));
        command.addAll(deploymentArgs(rendered));
        command.addAll(List.of("--kubeconfig=" + controlPlane.kubeconfig(),
                "--tls-cert=" + certs.resolve("tls.crt"), "--tls-key=" + certs.resolve("tls.key"),
                "--port=" + port, "--metrics-port=" + Webhook.freePort()));
        start(command, WORK.resolve("webhook.log"));
    }

    private static List<String> deploymentArgs(Path rendered) throws IOException {
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(rendered.toFile())) {
            for (JsonNode object : documents.readAll()) {
                if (object.path("kind").asText().equals("Deployment")) {
                    List<String> args = new ArrayList<>();
                    object.at("/spec/template/spec/containers/0/args").forEach(arg -> args.add(arg.asText()));
                    return args;
                }
            }
        }
        throw new AssertionError("no Deployment in " + rendered);
    }

    private void start(List<String> command, Path log) throws IOException {
        Files.writeString(log, "=== " + String.join(" ", command) + "\n");
        processes.add(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start());
    }

    private static byte[] base64(JsonNode value) {
        return Base64.getDecoder().decode(value.asText());
    }

    private static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast).toList();
    }


    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
