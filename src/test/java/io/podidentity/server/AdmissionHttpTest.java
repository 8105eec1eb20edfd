package io.podidentity.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.testing.Reviews;
import io.podidentity.testing.TlsContexts;
import io.podidentity.testing.UpstreamMetrics;
import io.podidentity.testing.Waiting;
import io.podidentity.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The admission protocol over real TLS, HTTP/2 and HTTP/1.1, against the standalone webhook. */
@QuarkusTest
@QuarkusTestResource(StandaloneWebhookResource.class)
class AdmissionHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MUTATE = "https://localhost:" + StandaloneWebhookResource.PORT + "/mutate";

    private static WebhookClient client(HttpClient.Version version) {
        return new WebhookClient(StandaloneWebhookResource.certificate.caCertificate(), version);
    }

    static String review(String apiVersion, String uid, String serviceAccount) {
        return Reviews.podCreation(apiVersion, uid, "default", serviceAccount);
    }

    private static JsonNode answer(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void mutatesAnnotatedServiceAccountsPodOverEitherProtocol(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = client(version).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "uid-1", "app").getBytes(StandardCharsets.UTF_8));

        assertEquals(version, response.version());
        JsonNode answer = answer(response);
        assertEquals("admission.k8s.io/v1", answer.path("apiVersion").asText());
        assertEquals("AdmissionReview", answer.path("kind").asText());
        assertEquals("uid-1", answer.path("response").path("uid").asText());
        assertTrue(answer.path("response").path("allowed").asBoolean());
        assertEquals("JSONPatch", answer.path("response").path("patchType").asText());
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(answer.path("response").path("patch").asText()));
        String text = patch.toString();
        assertTrue(text.contains("\"path\":\"/spec/volumes\""), text);
        assertTrue(text.contains("\"path\":\"/spec/containers/0/env\""), text);
        assertTrue(text.contains("arn:aws:iam::111122223333:role/app"), text);
        assertTrue(text.contains("{\"name\":\"AWS_DEFAULT_REGION\",\"value\":\"eu-west-1\"}"), text);
        assertFalse(text.contains("startupProbe"), "containers are never re-serialised: " + text);
        patch.forEach(op -> assertEquals("add", op.path("op").asText()));
    }

    @Test
    void echoesV1beta1Reviews() throws Exception {
        JsonNode answer = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1beta1", "uid-beta", "app").getBytes(StandardCharsets.UTF_8)));
        assertEquals("admission.k8s.io/v1beta1", answer.path("apiVersion").asText());
        assertEquals("uid-beta", answer.path("response").path("uid").asText());
        assertTrue(answer.path("response").has("patch"));
    }

    @Test
    void usesWildcardConfigMapEntryForAnyNamespace() throws Exception {
        JsonNode answer = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "uid-cm", "batch").getBytes(StandardCharsets.UTF_8)));
        String patch = new String(Base64.getDecoder().decode(answer.path("response").path("patch").asText()), StandardCharsets.UTF_8);
        assertTrue(patch.contains("arn:aws:iam::111122223333:role/batch"), patch);
    }

    @Test
    void allowsServiceAccountWithoutRoleUnchanged() throws Exception {
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "uid-plain", "plain").getBytes(StandardCharsets.UTF_8))).path("response");
        assertTrue(response.path("allowed").asBoolean());
        assertFalse(response.has("patch"));
        assertFalse(response.has("warnings"));
    }

    @Test
    void warnsAboutMalformedRoleArnButStillMutates() throws Exception {
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "uid-typo", "typo").getBytes(StandardCharsets.UTF_8))).path("response");
        assertTrue(response.has("patch"));
        assertTrue(response.path("warnings").get(0).asText().contains("is not a valid IAM role ARN"), response.toString());
    }

    @Test
    void warnsWhenServiceAccountStaysMissingAfterGracePeriod() throws Exception {
        long start = System.nanoTime();
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "uid-missing", "ghost").getBytes(StandardCharsets.UTF_8))).path("response");
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 200, "waited the 200 ms grace period");
        assertTrue(response.path("allowed").asBoolean());
        assertFalse(response.has("patch"));
        assertTrue(response.path("warnings").get(0).asText().contains("default/ghost is not known"), response.toString());
    }

    /** Bodies past Jackson's stream limits once got no answer at all (an exception escaped to Vert.x). */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> hostileBodies() {
        String prefix = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"h\","
                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"object\":";
        byte[] invalidUtf8 = (prefix + "{\"metadata\":{\"name\":\"").getBytes(StandardCharsets.UTF_8);
        invalidUtf8 = java.util.Arrays.copyOf(invalidUtf8, invalidUtf8.length + 2);
        invalidUtf8[invalidUtf8.length - 2] = (byte) 0xC3;
        invalidUtf8[invalidUtf8.length - 1] = (byte) 0x28;
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.argumentSet("nesting deeper than 1,000",
                        (prefix + "{\"spec\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}}}").getBytes(StandardCharsets.UTF_8)),
                org.junit.jupiter.params.provider.Arguments.argumentSet("a number of 1,500 digits",
                        (prefix + "{\"spec\":{\"priority\":" + "9".repeat(1_500) + "}}}}").getBytes(StandardCharsets.UTF_8)),
                org.junit.jupiter.params.provider.Arguments.argumentSet("a truncated review",
                        (prefix + "{\"spec\":{\"containers\":[{\"name\":").getBytes(StandardCharsets.UTF_8)),
                org.junit.jupiter.params.provider.Arguments.argumentSet("invalid UTF-8", invalidUtf8));
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void everyHostileBodyIsAnsweredWithinASecond(byte[] body) throws Exception {
        long start = System.nanoTime();
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json", body)).path("response");
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "answered within 1 s");
        assertFalse(response.path("allowed").asBoolean(), response.toString());
        assertFalse(response.path("status").path("message").asText().isBlank(), response.toString());
    }

    @Test
    void refusesOtherContentTypesWith415() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_1_1).post(MUTATE, "text/plain",
                review("admission.k8s.io/v1", "u", "app").getBytes(StandardCharsets.UTF_8));
        assertEquals(415, response.statusCode());
        assertTrue(response.body().contains("expected application/json"), response.body());
    }

    @Test
    void acceptsJsonWithCharsetParameter() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json; charset=utf-8",
                review("admission.k8s.io/v1", "u", "app").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
    }

    @Test
    void deniesUnreadableJsonWithPreciseMessage() throws Exception {
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                "{\"apiVersion\":".getBytes(StandardCharsets.UTF_8))).path("response");
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(response.path("status").path("message").asText().startsWith("the request body is not valid JSON"),
                response.toString());
    }

    @Test
    void deniesReviewWithoutRequest() throws Exception {
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8)))
                .path("response");
        assertFalse(response.path("allowed").asBoolean());
        assertEquals("the AdmissionReview has no request", response.path("status").path("message").asText());
    }

    @Test
    void allowsObjectsThatAreNotPodsUntouched() throws Exception {
        String deployment = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"d1",
                 "kind":{"group":"apps","version":"v1","kind":"Deployment"},"namespace":"default","operation":"CREATE",
                 "object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}}}""";
        JsonNode response = answer(client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                deployment.getBytes(StandardCharsets.UTF_8))).path("response");
        assertTrue(response.path("allowed").asBoolean());
        assertEquals("d1", response.path("uid").asText());
        assertFalse(response.has("patch"));
    }

    /** 2 MiB of whitespace: over the test webhook's 1 MiB limit. */
    private static byte[] overLimit() {
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        return huge;
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void refusesOversizedBodiesWith413AndKeepsServing(HttpClient.Version version) throws Exception {
        WebhookClient client = client(version);
        HttpResponse<String> refused = client.post(MUTATE, "application/json", overLimit());
        assertEquals(413, refused.statusCode());
        assertTrue(refused.body().contains("exceeds the limit of 1048576 bytes"), refused.body());
        assertEquals(200, client.post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "after", "app").getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void refusesOversizedBodiesOfUndeclaredLengthWith413(HttpClient.Version version) throws Exception {
        WebhookClient client = client(version);
        HttpResponse<String> refused = client.postUndeclaredLength(MUTATE, overLimit());
        assertEquals(413, refused.statusCode());
        assertTrue(refused.body().contains("exceeds the limit of 1048576 bytes"), refused.body());
        HttpResponse<String> small = client.postUndeclaredLength(MUTATE,
                review("admission.k8s.io/v1", "undeclared", "app").getBytes(StandardCharsets.UTF_8));
        assertEquals("undeclared", answer(small).path("response").path("uid").asText());
        assertTrue(answer(small).path("response").has("patch"));
    }

    @Test
    void refusesOtherMethodsWith405() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_2).get(MUTATE);
        assertEquals(405, response.statusCode());
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void answersHealthAndReadiness() throws Exception {
        WebhookClient client = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> health = client.get("https://localhost:" + StandaloneWebhookResource.PORT + "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ok", health.body());
        assertEquals(200, client.get("https://localhost:" + StandaloneWebhookResource.PORT + "/readyz").statusCode());
    }

    @Test
    void servesTls12AndTls13() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            WebhookClient client = new WebhookClient(StandaloneWebhookResource.certificate.caCertificate(),
                    HttpClient.Version.HTTP_2, protocol);
            assertEquals(200, client.get("https://localhost:" + StandaloneWebhookResource.PORT + "/healthz").statusCode(), protocol);
        }
    }

    @Test
    void refusesTls11() {
        WebhookClient client = new WebhookClient(StandaloneWebhookResource.certificate.caCertificate(),
                HttpClient.Version.HTTP_1_1, "TLSv1.1");
        assertThrows(IOException.class,
                () -> client.get("https://localhost:" + StandaloneWebhookResource.PORT + "/healthz"));
    }

    @Test
    void servesARotatedCertificateWithoutRestart() throws Exception {
        java.math.BigInteger before = servedSerial();
        assertEquals(StandaloneWebhookResource.certificate.serial(), before);
        StandaloneWebhookResource.certificate = StandaloneWebhookResource.certificate.rotate();
        java.math.BigInteger expected = StandaloneWebhookResource.certificate.serial();
        // Every probe is a new TLS handshake and must succeed, before, during and after the swap.
        assertTrue(Waiting.within(Duration.ofSeconds(15), Duration.ofMillis(20), () -> expected.equals(servedSerial())),
                "the new certificate is served within 15 s");
        assertEquals(200, client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "rotated", "app").getBytes(StandardCharsets.UTF_8)).statusCode());
    }

    /** The serial of the leaf the server presents on a new connection. */
    private static java.math.BigInteger servedSerial() throws Exception {
        javax.net.ssl.SSLContext context = TlsContexts.trusting(StandaloneWebhookResource.certificate.caCertificate());
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("localhost", StandaloneWebhookResource.PORT)) {
            socket.startHandshake();
            return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void exposesUpstreamMetricNamesOnThePlainHttpMetricsPort() throws Exception {
        client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "m", "app").getBytes(StandardCharsets.UTF_8));
        java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
        String metrics = plain.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + StandaloneWebhookResource.METRICS_PORT + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String expected : new String[] {
            "# TYPE http_request_count counter\n",
            "\nhttp_request_count{code=\"200\",path=\"/mutate\",verb=\"POST\"} ",
            "# TYPE http_request_latencies histogram\n",
            "http_request_latencies_bucket{path=\"/mutate\",verb=\"POST\",le=\"125000\"} ",
            "http_request_latencies_bucket{path=\"/mutate\",verb=\"POST\",le=\"1e+06\"} ",
            "# TYPE http_request_duration_microseconds summary\n",
            "http_request_duration_microseconds_count{path=\"/mutate\",verb=\"POST\"} ",
            "# TYPE pod_identity_webhook_pod_count counter\n",
            "\npod_identity_webhook_pod_count{method=\"sts_web_identity\"} ",
            "# TYPE pod_identity_webhook_used gauge\npod_identity_webhook_used 1\n",
            "jvm_memory_used_bytes"
        }) {
            assertTrue(metrics.contains(expected), "missing " + expected);
        }
        for (String upstream : new String[] {"http_request_count", "pod_identity_webhook_pod_count",
            "pod_identity_webhook_missing_sa_count"}) {
            assertFalse(metrics.contains(upstream + "_total"), upstream + " is exposed under upstream's name only");
        }
    }

    /**
     * The six families exactly as the Go webhook exposes them (src/test/resources/metrics/
     * upstream-metrics.golden, taken from its real /metrics): HELP, TYPE, sample names and label
     * names, bucket bounds. Other tests add series with other label values; their shape must
     * still be one of upstream's.
     */
    @Test
    void metricsHaveTheGoWebhooksNamesTypesHelpAndLabels() throws Exception {
        client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "golden-1", "app").getBytes(StandardCharsets.UTF_8));
        client(HttpClient.Version.HTTP_2).post(MUTATE, "application/json",
                review("admission.k8s.io/v1", "golden-2", "not-in-the-cache").getBytes(StandardCharsets.UTF_8));
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + StandaloneWebhookResource.METRICS_PORT + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        UpstreamMetrics.assertMatchesGolden(metrics);
    }

    @Test
    void dumpsTheCacheOnTheMetricsPortWhenDebuggingIsEnabled() throws Exception {
        String dump = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + StandaloneWebhookResource.METRICS_PORT + "/debug/alpha/cache")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode node = JSON.readTree(dump);
        assertEquals("arn:aws:iam::111122223333:role/app",
                node.path("serviceAccounts").path("default/app").path("eks.amazonaws.com/role-arn").asText());
        assertFalse(dump.contains("unrelated.example.com"), "only the webhook's annotations are kept");
        assertEquals("arn:aws:iam::111122223333:role/batch", node.path("configMap").path("*/batch").path("RoleARN").asText());
    }
}
