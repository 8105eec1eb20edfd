package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.podidentity.testing.Reviews;
import io.podidentity.testing.UpstreamMetrics;
import io.podidentity.testing.WebhookClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the API server meets on the wire, for whichever artifact {@link Launcher} starts (the jar,
 * or the native executable): /mutate over TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2, AdmissionReview
 * v1 and v1beta1, for a ServiceAccount the informer took from the real kube-apiserver; upstream's
 * /metrics; the probes; a hostile body answered. In the native executable these are the paths
 * that break when reflection, resources or the TLS providers are missing from the image.
 */
@ExtendWith(ControlPlaneExtension.class)
class ServingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::111122223333:role/serving-it";
    private static Webhook webhook;
    private static String namespace;

    @BeforeAll
    static void start(ControlPlane controlPlane) throws IOException {
        namespace = controlPlane.createNamespace("serving");
        controlPlane.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("app").addToAnnotations("eks.amazonaws.com/role-arn", ROLE).endMetadata()
                .build()).create();
        Path dir = Path.of("target", "e2e", "webhooks", namespace).toAbsolutePath();
        webhook = Webhook.start(controlPlane, dir, namespace);
        webhook.awaitCache("the annotated ServiceAccount", cache -> cache.contains("role/serving-it"));
    }

    @AfterAll
    static void stop() {
        if (webhook != null) {
            webhook.stopCleanly();
        }
    }

    private static String review(String apiVersion, String uid, String serviceAccount) {
        return Reviews.podCreation(apiVersion, uid, namespace, serviceAccount);
    }

    private static WebhookClient client(String tlsVersion, HttpClient.Version httpVersion) {
        return new WebhookClient(webhook.caCertificate(), httpVersion, tlsVersion);
    }

    private static HttpResponse<String> post(WebhookClient client, String body) throws Exception {
        return client.post(webhook.url("/mutate").toString(), "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @CsvSource({
        "TLSv1.3, HTTP_2, admission.k8s.io/v1",
        "TLSv1.3, HTTP_1_1, admission.k8s.io/v1beta1",
        "TLSv1.2, HTTP_2, admission.k8s.io/v1beta1",
        "TLSv1.2, HTTP_1_1, admission.k8s.io/v1",
    })
    void mutatesOverEachTlsAndHttpVersionForEachReviewVersion(String tls, HttpClient.Version http, String apiVersion)
            throws Exception {
        HttpResponse<String> response = post(client(tls, http), review(apiVersion, "uid-" + tls + http, "app"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(http, response.version());
        assertEquals(tls, response.sslSession().orElseThrow().getProtocol());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(apiVersion, answer.path("apiVersion").asText());
        assertEquals("uid-" + tls + http, answer.path("response").path("uid").asText());
        assertTrue(answer.path("response").path("allowed").asBoolean());
        String patch = new String(Base64.getDecoder().decode(answer.path("response").path("patch").asText()),
                StandardCharsets.UTF_8);
        assertTrue(patch.contains(ROLE), patch);
        assertTrue(patch.contains("\"audience\":\"sts.amazonaws.com\""), patch);
    }

    /**
     * TLS 1.2 is the minimum (SPEC §4). Java's own client will not even offer 1.1, so OpenSSL
     * asks, with its security level lowered so that the refusal can only come from the server.
     */
    @Test
    void tls11IsRefusedByTheServerAndTls12Accepted() {
        String address = "127.0.0.1:" + webhook.url("/").getPort();
        Processes.Result old = Processes.run(Duration.ofSeconds(20), null, "openssl", "s_client", "-connect", address,
                "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertTrue(old.stdout().contains("Cipher is (NONE)") && (old.stdout() + old.stderr()).contains("alert protocol version"),
                "a TLS 1.1 handshake must end in the server's protocol_version alert:\n" + old.stdout() + old.stderr());
        Processes.Result current = Processes.run(Duration.ofSeconds(20), null, "openssl", "s_client", "-connect", address,
                "-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0");
        assertTrue(current.stdout().contains("Protocol  : TLSv1.2") && !current.stdout().contains("Cipher is (NONE)"),
                "TLS 1.2 must be accepted:\n" + current.stdout() + current.stderr());
    }

    @Test
    void aHostileBodyIsAnsweredAndTheServerStaysUp() throws Exception {
        WebhookClient client = client("TLSv1.3", HttpClient.Version.HTTP_2);
        String deep = "{\"request\":{\"uid\":\"deep\",\"object\":" + "[".repeat(5000) + "]".repeat(5000) + "}}";

        HttpResponse<String> response = post(client, deep);

        assertTrue(response.statusCode() == 200 || response.statusCode() == 400, response.statusCode() + " " + response.body());
        assertEquals(200, post(client, review("admission.k8s.io/v1", "after", "app")).statusCode());
    }

    @Test
    void probesAnswer() throws Exception {
        WebhookClient client = client("TLSv1.3", HttpClient.Version.HTTP_2);
        for (String probe : List.of("/readyz", "/healthz")) {
            HttpResponse<String> response = client.get(webhook.url(probe).toString());
            assertEquals(200, response.statusCode(), probe + ": " + response.body());
            if (probe.equals("/healthz")) {
                assertEquals("ok", response.body().strip(), "SPEC §4: /healthz answers ok");
            }
        }
    }

    /**
     * The native executable gives its startup-only pages back to the kernel once ready
     * (memory.StartupPages): the log says how much, its resident set shrinks by megabytes, and the
     * mutations that follow find their code and image heap again in the file. The JVM never does.
     */
    @Test
    void theNativeExecutableReleasesItsStartupPagesOnceReadyAndGoesOnMutating() throws Exception {
        Pattern released = Pattern.compile("released the executable's startup-only pages: (\\d+) KiB in (\\d+) mappings; "
                + "RSS (\\d+) -> (\\d+) KiB");
        if (Launcher.isNative()) {
            Poll.until(Duration.ofSeconds(40), "the startup pages' release in the log",
                    () -> released.matcher(Files.readString(webhook.log())).find());
            Matcher m = released.matcher(Files.readString(webhook.log()));
            assertTrue(m.find());
            long before = Long.parseLong(m.group(3));
            long after = Long.parseLong(m.group(4));
            assertTrue(Long.parseLong(m.group(1)) > 4096 && before - after > 4096,
                    "megabytes of the executable released: " + m.group());
        } else {
            assertFalse(released.matcher(Files.readString(webhook.log())).find(), webhook.logTail());
        }
        HttpResponse<String> response = post(client("TLSv1.3", HttpClient.Version.HTTP_2),
                review("admission.k8s.io/v1", "after-release", "app"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"patch\""), response.body());
    }

    /**
     * The first ServiceAccount list is read while the server boots (identity.ServiceAccountPrefetch),
     * from the real API server with the kubeconfig's credentials and CA; the informer lists again
     * after it, then watches.
     */
    @Test
    void serviceAccountsAreListedEarlyAndTheInformerListsThemAgainAfter() throws Exception {
        Poll.until(Duration.ofSeconds(30), "the informer's sync in the log",
                () -> Files.readString(webhook.log()).contains("ServiceAccount informer synced"));
        List<String> lines = Files.readAllLines(webhook.log());
        int early = indexOf(lines, Pattern.compile("early ServiceAccount list: [1-9]\\d* in \\d+ ms"));
        int synced = indexOf(lines, Pattern.compile("ServiceAccount informer synced: [1-9]\\d* ServiceAccounts"));
        // (When the informer lists again is ClusterInformersTest's: the log cannot order it against
        // the server's start without a race.)
        assertTrue(early >= 0 && early < synced, "the early list, then the informer's own: " + webhook.logTail());
    }

    /**
     * SPEC §4's /readyz [beyond]: not ready until the ServiceAccounts are listed. A webhook whose
     * identity may not list them has its early list answered 403 and its informer retrying: it
     * answers 503 naming the informer sync, and no pod is mutated. Once RBAC lets it list, the
     * informer's retry makes it ready and mutating.
     */
    @Test
    void notReadyWhileItMayNotListServiceAccountsThenReadyOnceRbacAllows(ControlPlane controlPlane) throws Exception {
        String ns = controlPlane.createNamespace("unlisted");
        controlPlane.kubectl("-n", ns, "create", "serviceaccount", "webhook").requireSuccess("create serviceaccount");
        String token = controlPlane.kubectl("-n", ns, "create", "token", "webhook").requireSuccess("create token").stdout().strip();
        Path dir = Path.of("target", "e2e", "webhooks", ns).toAbsolutePath();
        Files.createDirectories(dir);
        Path kubeconfig = dir.resolve("webhook.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: e2e, cluster: {server: "%s", certificate-authority: "%s"}}]
                users: [{name: webhook, user: {token: "%s"}}]
                contexts: [{name: webhook, context: {cluster: e2e, user: webhook}}]
                current-context: webhook
                """.formatted(controlPlane.client().getMasterUrl(), controlPlane.dir().resolve("pki/ca.crt"), token));
        Webhook unlisted = Webhook.launch(controlPlane, dir, ns, "--kubeconfig=" + kubeconfig);
        try {
            WebhookClient client = new WebhookClient(unlisted.caCertificate(), HttpClient.Version.HTTP_1_1, "TLSv1.3");
            Poll.until(Duration.ofSeconds(30), "the early list's 403 in the log",
                    () -> Files.readString(unlisted.log()).contains("the early ServiceAccount list failed"));
            assertTrue(Files.readString(unlisted.log()).contains("answered 403"), unlisted.logTail());
            Poll.until(Duration.ofSeconds(30), "the server to listen", () -> unlisted.readyzStatus() != -1);
            HttpResponse<String> readyz = client.get(unlisted.url("/readyz").toString());
            assertEquals(503, readyz.statusCode(), readyz.body());
            assertTrue(readyz.body().contains("waiting for informer sync"), readyz.body());
            HttpResponse<String> unmutated = client.post(unlisted.url("/mutate").toString(), "application/json",
                    Reviews.podCreation("admission.k8s.io/v1", "unlisted", namespace, "app").getBytes(StandardCharsets.UTF_8));
            assertFalse(unmutated.body().contains("\"patch\""), "nothing listed, nothing mutated: " + unmutated.body());

            controlPlane.kubectl("create", "clusterrole", ns + "-serviceaccounts", "--verb=get,list,watch",
                    "--resource=serviceaccounts").requireSuccess("create clusterrole");
            controlPlane.kubectl("create", "clusterrolebinding", ns + "-serviceaccounts", "--clusterrole=" + ns + "-serviceaccounts",
                    "--serviceaccount=" + ns + ":webhook").requireSuccess("create clusterrolebinding");
            unlisted.awaitReady();
            HttpResponse<String> mutated = client.post(unlisted.url("/mutate").toString(), "application/json",
                    Reviews.podCreation("admission.k8s.io/v1", "listed", namespace, "app").getBytes(StandardCharsets.UTF_8));
            assertTrue(mutated.body().contains("\"patch\""), mutated.body());
        } finally {
            unlisted.stopCleanly();
        }
    }

    private static int indexOf(List<String> lines, Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    /** Upstream's six families, in the shapes the Go webhook's real /metrics has (upstream-metrics.golden). */
    @Test
    void metricsHaveUpstreamsFamiliesAfterAMutatedAndAMissingServiceAccountAdmission() throws Exception {
        WebhookClient client = client("TLSv1.3", HttpClient.Version.HTTP_2);
        post(client, review("admission.k8s.io/v1", "metrics-1", "app"));
        post(client, review("admission.k8s.io/v1", "metrics-2", "not-in-the-cache"));
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook.metricsUrl("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        UpstreamMetrics.assertMatchesGolden(metrics);
        assertTrue(metrics.contains("pod_identity_webhook_missing_sa_count 1"), metrics);
    }
}
