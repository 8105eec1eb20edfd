package io.podidentity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podidentity.oidc.Discovery;
import io.podidentity.oidc.Jwk;
import io.podidentity.oidc.Jwks;
import io.podidentity.oidc.TestTokens;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oidc subcommands in-process against a local HTTPS host that publishes an issuer (under
 * /cluster) and also plays the cluster's API server (at /), presenting a two-certificate chain.
 */
class OidcCommandsTest {

    static final Path RESOURCES = Path.of("src/test/resources/oidc");

    @TempDir
    Path dir;

    StaticHttpsServer server;
    String issuer;
    KeyPair keys = TestTokens.rsaKeyPair();
    Jwk jwk = Jwk.of(keys.getPublic());

    @BeforeEach
    void publish() throws Exception {
        server = new StaticHttpsServer(dir.resolve("pki"));
        issuer = server.url() + "/cluster";
        String discovery = Discovery.forIssuer(issuer, "openid/v1/jwks").toJson();
        String jwks = new Jwks(List.of(jwk)).toJson();
        server.documents.put("/cluster/.well-known/openid-configuration", discovery);
        server.documents.put("/cluster/openid/v1/jwks", jwks);
        server.documents.put("/.well-known/openid-configuration", discovery);
        server.documents.put("/openid/v1/jwks", jwks);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Path token(String subject) throws Exception {
        long now = Instant.now().getEpochSecond();
        return Files.writeString(dir.resolve("token"),
                TestTokens.sign(keys, jwk.kid(), TestTokens.serviceAccountClaims(issuer, subject, now)));
    }

    Path policy(String subject) throws Exception {
        String hostPath = issuer.substring("https://".length());
        return Files.writeString(dir.resolve("policy.json"), """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/%1$s"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringEquals": {"%1$s:sub": "%2$s", "%1$s:aud": "sts.amazonaws.com"}}}]}
                """.formatted(hostPath, subject));
    }

    @Test
    void discoveryFromPemFilesWritesTheGoldenFiles() throws Exception {
        CliRun run = CliRun.of("oidc", "discovery", "--issuer", "https://oidc.example.test/cluster",
                "--public-key", RESOURCES.resolve("sa-pkcs8.key").toString(),
                "--public-key", RESOURCES.resolve("rotated.pub").toString(), "--out", dir.resolve("out").toString());

        assertEquals(0, run.code(), run.err());
        assertEquals(Files.readString(RESOURCES.resolve("openid-configuration")),
                Files.readString(dir.resolve("out/.well-known/openid-configuration")));
        assertEquals(Files.readString(RESOURCES.resolve("jwks-two-keys.json")),
                Files.readString(dir.resolve("out/openid/v1/jwks")));
    }

    @Test
    void discoveryHonoursACustomJwksPath() throws Exception {
        CliRun run = CliRun.of("oidc", "discovery", "--issuer", "https://oidc.example.test/cluster",
                "--public-key", RESOURCES.resolve("sa.pub").toString(), "--out", dir.resolve("out").toString(),
                "--jwks-path", "/keys.json");

        assertEquals(0, run.code(), run.err());
        assertTrue(Files.readString(dir.resolve("out/.well-known/openid-configuration"))
                .contains("\"jwks_uri\": \"https://oidc.example.test/cluster/keys.json\""));
        assertEquals(Files.readString(RESOURCES.resolve("jwks-sa.json")), Files.readString(dir.resolve("out/keys.json")));
    }

    @Test
    void discoveryFromTheClusterPublishesTheClusterKeys() throws Exception {
        CliRun run = CliRun.of("oidc", "discovery", "--issuer", issuer,
                "--kubeconfig", server.kubeconfig(dir).toString(), "--out", dir.resolve("out").toString());

        assertEquals(0, run.code(), run.err());
        assertEquals(new Jwks(List.of(jwk)).toJson(), Files.readString(dir.resolve("out/openid/v1/jwks")));
    }

    @Test
    void discoveryRefusesAnEcKeyInOneLine() {
        CliRun run = CliRun.of("oidc", "discovery", "--issuer", "https://oidc.example.test",
                "--public-key", RESOURCES.resolve("ec.key").toString(), "--out", dir.toString());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("AWS IAM accepts only RSA keys"), run.err());
    }

    @Test
    void discoveryRefusesAPlainHttpIssuerAsUsage() {
        CliRun run = CliRun.of("oidc", "discovery", "--issuer", "http://oidc.example.test",
                "--public-key", RESOURCES.resolve("sa.pub").toString(), "--out", dir.toString());

        assertEquals(2, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("must be an https:// URL"), run.err());
    }

    @Test
    void discoveryReportsAFileThatIsNotPemInOneLine() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n");

        CliRun run = CliRun.of("oidc", "discovery", "--issuer", "https://oidc.example.test",
                "--public-key", junk.toString(), "--out", dir.toString());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains(junk.toString()), run.err());
    }

    @Test
    void thumbprintIsTheSha1OfTheTopCertificateOfTheChain() throws Exception {
        CliRun run = CliRun.of("oidc", "thumbprint", issuer, "--ca", server.caFile.toString());

        assertEquals(0, run.code(), run.err());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(server.ca.getEncoded()));
        List<String> lines = run.out().lines().toList();
        assertEquals(expected, lines.get(0));
        assertEquals("  subject: CN=test CA", lines.get(1));
        assertTrue(lines.get(3).contains("certificate 2 of 2"), run.out());
    }

    @Test
    void thumbprintOfAnUntrustedHostSuggestsTheCaOption() {
        CliRun run = CliRun.of("oidc", "thumbprint", "localhost:" + server.port());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("--ca FILE"), run.err());
    }

    @Test
    void thumbprintOfAClosedPortSaysItCannotConnect() {
        int port = server.port();
        server.close();

        CliRun run = CliRun.of("oidc", "thumbprint", "https://localhost:" + port + "/x", "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().contains("cannot connect"), run.err());
    }

    @Test
    void verifyAcceptsATokenWithKeysFetchedFromTheIssuerAndAMatchingPolicy() throws Exception {
        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", issuer, "--ca", server.caFile.toString(),
                "--trust-policy", policy("system:serviceaccount:ns:app").toString());

        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("keys from " + issuer + "/openid/v1/jwks"), run.out());
        assertTrue(run.out().endsWith("accepted: STS would accept this token\n"), run.out());
    }

    @Test
    void verifyRefusesAnotherSubjectNamingTheCondition() throws Exception {
        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:other").toString(),
                "--issuer", issuer, "--ca", server.caFile.toString(),
                "--trust-policy", policy("system:serviceaccount:ns:app").toString());

        assertEquals(1, run.code());
        String hostPath = issuer.substring("https://".length());
        assertTrue(run.out().contains("FAIL        StringEquals " + hostPath + ":sub: sub [\"system:serviceaccount:ns:other\"]"),
                run.out());
    }

    @Test
    void verifyWithAJwksFileNamesAnUnknownKid() throws Exception {
        Path jwks = Files.writeString(dir.resolve("jwks.json"),
                new Jwks(List.of(Jwk.of(TestTokens.rsaKeyPair().getPublic()))).toJson());

        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", issuer, "--jwks", jwks.toString());

        assertEquals(1, run.code());
        assertTrue(run.out().contains("no key with kid \"" + jwk.kid() + "\""), run.out());
    }

    @Test
    void verifyReportsAJwksThatIsNotJsonInOneLine() throws Exception {
        Path jwks = Files.writeString(dir.resolve("jwks.json"), "{not json");

        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", issuer, "--jwks", jwks.toString());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().startsWith("error: " + jwks + " is not valid JSON"), run.err());
    }

    @Test
    void verifyReportsAMissingDiscoveryDocumentWithItsUrl() throws Exception {
        server.documents.clear();

        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", issuer, "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertEquals("error: GET " + issuer + "/.well-known/openid-configuration: HTTP 404\n", run.err());
    }

    @Test
    void verifyRefusesADocumentLargerThanAnyOidcDocumentInOneLine() throws Exception {
        server.documents.put("/cluster/.well-known/openid-configuration", "{\"issuer\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}");

        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", issuer, "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertEquals("error: GET " + issuer + "/.well-known/openid-configuration: the answer is larger than 4096 KiB; "
                + "an OIDC document is a few KiB\n", run.err());
    }

    @Test
    void verifyNamesAHostThatRefusesTheConnection() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String unreachable = "https://127.0.0.1:" + closed;

        CliRun run = CliRun.of("oidc", "verify", "--token", token("system:serviceaccount:ns:app").toString(),
                "--issuer", unreachable, "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertTrue(run.oneErrorLine() && run.err().startsWith("error: GET " + unreachable
                + "/.well-known/openid-configuration: cannot connect ("), run.err());
    }

    @Test
    void checkAgreesWhenTheIssuerPublishesTheClusterKeys() throws Exception {
        CliRun run = CliRun.of("oidc", "check", "--issuer", issuer, "--kubeconfig", server.kubeconfig(dir).toString(),
                "--ca", server.caFile.toString());

        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("PASS        cluster issuer"), run.out());
    }

    @Test
    void checkReportsAKeyTheIssuerDoesNotPublish() throws Exception {
        Jwk rotated = Jwk.of(TestTokens.rsaKeyPair().getPublic());
        server.documents.put("/openid/v1/jwks", new Jwks(List.of(jwk, rotated)).toJson());

        CliRun run = CliRun.of("oidc", "check", "--issuer", issuer, "--kubeconfig", server.kubeconfig(dir).toString(),
                "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertTrue(run.out().contains("FAIL        key " + rotated.kid() + ": the cluster signs with it but"), run.out());
        assertTrue(run.out().contains("PASS        key " + jwk.kid()), run.out());
    }

    @Test
    void checkReportsAClusterIssuerThatDiffersFromThePublishedOne() throws Exception {
        server.documents.put("/.well-known/openid-configuration",
                Discovery.forIssuer("https://kubernetes.default.svc.cluster.local", "openid/v1/jwks").toJson());

        CliRun run = CliRun.of("oidc", "check", "--issuer", issuer, "--kubeconfig", server.kubeconfig(dir).toString(),
                "--ca", server.caFile.toString());

        assertEquals(1, run.code());
        assertTrue(run.out().contains("FAIL        cluster issuer: \"https://kubernetes.default.svc.cluster.local\""), run.out());
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        CliRun run = CliRun.of("oidc", "verify", "--bogus");

        assertEquals(2, run.code());
        assertTrue(run.oneErrorLine(), run.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("discovery", "thumbprint", "verify", "check")) {
            CliRun run = CliRun.of("oidc", command, "--help");
            assertEquals(0, run.code(), command);
            assertTrue(run.out().startsWith("Usage: webhook oidc " + command), run.out());
        }
        assertTrue(CliRun.of("mutate", "--help").out().startsWith("Usage: webhook mutate"));
    }
}
