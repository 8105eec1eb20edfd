package io.podidentity.identity;

import static io.podidentity.identity.TestAnnotations.PREFIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.podidentity.testing.HttpsTestServer;
import io.podidentity.testing.TlsContexts;
import io.podidentity.testing.Waiting;
import io.podidentity.tls.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServiceAccountPrefetch}: one GET, against the fabric8 mock API server and a TLS server of the test's own. */
class ServiceAccountPrefetchTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/a";
    private static final String LIST = """
            {"kind": "ServiceAccountList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"},
             "items": [{"metadata": {"namespace": "team-a", "name": "app", "resourceVersion": "5",
                        "annotations": {"%s/role-arn": "%s", "kubectl.kubernetes.io/last-applied-configuration": "{}"}},
                        "secrets": [{"name": "app-token"}]}]}""".formatted(PREFIX, ROLE);

    @TempDir
    Path dir;

    @Test
    void listsTheServiceAccountsOfEveryNamespaceFromTheWatchCache() throws Exception {
        try (MockApiServer api = new MockApiServer()) {
            api.createServiceAccount("team-a", "app", Map.of(PREFIX + "/role-arn", ROLE, "example.com/owner", "a"));
            api.createServiceAccount("team-b", "app", null);

            List<ServiceAccount> listed = listed(ServiceAccountPrefetch.start(
                    () -> api.client().getConfiguration(), PREFIX));

            listed.sort(Comparator.comparing(sa -> sa.getMetadata().getNamespace()));
            assertEquals(List.of("team-a/app", "team-b/app"),
                    listed.stream().map(sa -> sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName()).toList());
            assertEquals(Map.of(PREFIX + "/role-arn", ROLE), listed.get(0).getMetadata().getAnnotations(),
                    "read as the informer reads: only the annotations under the prefix");
            assertEquals(List.of(ServiceAccountPrefetch.PATH),
                    api.requests("GET", path -> path.startsWith("/api/v1/serviceaccounts")).stream()
                            .map(MockApiServer.Request::path).toList());
        }
    }

    @Test
    void sendsTheBearerTokenAndTrustsOnlyTheConfiguredCa() throws Exception {
        TestCertificates.TestPki pki = TestCertificates.create(dir, TestCertificates.KeyFormat.RSA_PKCS8);
        List<String> authorizations = new CopyOnWriteArrayList<>();
        try (HttpsTestServer server = HttpsTestServer.start(
                TlsContexts.serving(pki.certificate(), pki.privateKey()), exchange -> {
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    answer(exchange, 200, LIST);
                })) {
            ServiceAccountPrefetch prefetch = ServiceAccountPrefetch.start(() -> new ConfigBuilder(Config.empty())
                    .withMasterUrl(server.url() + "/")
                    .withCaCertFile(pki.caCertificate().toString())
                    .withOauthToken("the-token")
                    .build(), PREFIX);

            List<ServiceAccount> listed = listed(prefetch);

            assertEquals(1, listed.size());
            assertEquals(ROLE, listed.get(0).getMetadata().getAnnotations().get(PREFIX + "/role-arn"));
            assertEquals(List.of("Bearer the-token"), authorizations);
            assertTrue(prefetch.took().toNanos() > 0, "the time it took is known once listed");
            listed(ServiceAccountPrefetch.start(() -> new ConfigBuilder(Config.empty())
                    .withMasterUrl(server.url())
                    .withCaCertFile(pki.caCertificate().toString())
                    .withUsername("admin")
                    .withPassword("secret")
                    .build(), PREFIX));
            assertEquals("Basic YWRtaW46c2VjcmV0", authorizations.get(1), "a user name and password, as the client sends them");

            Path otherCa = TestCertificates.create(dir.resolve("other"), TestCertificates.KeyFormat.RSA_PKCS8).caCertificate();
            Throwable untrusted = failure(ServiceAccountPrefetch.start(() -> new ConfigBuilder(Config.empty())
                    .withMasterUrl(server.url())
                    .withCaCertFile(otherCa.toString())
                    .build(), PREFIX));
            assertInstanceOf(javax.net.ssl.SSLHandshakeException.class, untrusted, untrusted.toString());
            assertEquals(2, authorizations.size(), "nothing is sent to a server the CA does not vouch for");
        }
    }

    @Test
    void anErrorAnswerFailsWithItsStatusAndMessage() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(TlsContexts.serving(
                TestCertificates.create(dir, TestCertificates.KeyFormat.RSA_PKCS8).certificate(),
                dir.resolve("tls.key")), exchange -> answer(exchange, 403, """
                        {"kind": "Status", "status": "Failure", "message": "serviceaccounts is forbidden: User \\"x\\" cannot list"}
                        """))) {
            Throwable failure = failure(ServiceAccountPrefetch.start(() -> trustingConfig(server), PREFIX));

            assertEquals("GET /api/v1/serviceaccounts answered 403: {\"kind\": \"Status\", \"status\": \"Failure\","
                    + " \"message\": \"serviceaccounts is forbidden: User \\\"x\\\" cannot list\"}", failure.getMessage());
        }
    }

    @Test
    void anAnswerThatIsNotAServiceAccountListFails() throws Exception {
        for (String body : List.of("<html>proxy login</html>", "{\"kind\": \"Status\"}", "{\"kind\": \"ServiceAccountList\", \"items\": [",
                "{\"kind\": \"ServiceAccountList\", \"items\": [{\"metadata\": {\"name\": 7}}]}")) {
            try (HttpsTestServer server = HttpsTestServer.start(TlsContexts.serving(
                    TestCertificates.create(dir.resolve("pki"), TestCertificates.KeyFormat.RSA_PKCS8).certificate(),
                    dir.resolve("pki/tls.key")), exchange -> answer(exchange, 200, body))) {
                Throwable failure = failure(ServiceAccountPrefetch.start(() -> trustingConfig(server), PREFIX));

                assertInstanceOf(IOException.class, failure, body);
                assertTrue(failure.getMessage().startsWith(
                        "GET /api/v1/serviceaccounts answered what is not a ServiceAccount list"), failure.getMessage());
            }
        }
    }

    @Test
    void anUnreachableServerFailsTheListOnly() throws Exception {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://localhost:1").withTrustCerts(true).build();
        ServiceAccountPrefetch prefetch = ServiceAccountPrefetch.start(() -> config, PREFIX);

        assertInstanceOf(java.net.ConnectException.class, failure(prefetch));
        assertSame(config, prefetch.cluster(), "the client still gets its configuration");
    }

    @Test
    void whatThisGetCannotDoIsLeftToTheInformer() throws Exception {
        Config proxied = new ConfigBuilder(Config.empty()).withMasterUrl("https://api:6443").withHttpsProxy("http://proxy:3128").build();
        Config impersonating = new ConfigBuilder(Config.empty()).withMasterUrl("https://api:6443").withImpersonateUsername("x").build();

        assertEquals("not made, because the configuration has a proxy",
                failure(ServiceAccountPrefetch.start(() -> proxied, PREFIX)).getMessage());
        assertEquals("not made, because the configuration has impersonation",
                failure(ServiceAccountPrefetch.start(() -> impersonating, PREFIX)).getMessage());
    }

    /** An Error too (a class missing from the native image): the informer waits for the list to end. */
    @ParameterizedTest
    @MethodSource("unresolvable")
    void whatResolvingThrowsEndsTheListAndIsRethrownWhereTheClientIsBuilt(Throwable thrown) throws Exception {
        ServiceAccountPrefetch prefetch = ServiceAccountPrefetch.start(() -> {
            if (thrown instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) thrown;
        }, PREFIX);

        assertSame(thrown, failure(prefetch));
        assertSame(thrown, assertThrows(Throwable.class, prefetch::cluster));
    }

    static List<Throwable> unresolvable() {
        return List.of(new IllegalStateException("--kubeconfig /nowhere cannot be read"),
                new NoClassDefFoundError("io/fabric8/kubernetes/client/Config"));
    }

    // --- helpers --------------------------------------------------------------------------------

    private static Config trustingConfig(HttpsTestServer server) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withTrustCerts(true).build();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static List<ServiceAccount> listed(ServiceAccountPrefetch prefetch) throws Exception {
        return new java.util.ArrayList<>(prefetch.listed().get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }

    private static Throwable failure(ServiceAccountPrefetch prefetch) throws Exception {
        try {
            List<ServiceAccount> listed = prefetch.listed().get(Waiting.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("listed " + listed.size() + " ServiceAccounts instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
