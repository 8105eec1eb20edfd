package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.podidentity.oidc.Jwk;
import io.podidentity.oidc.Jwks;
import io.podidentity.oidc.Jwt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The toolkit, as the packaged executable, against the real API server: the JWKS that
 * {@code oidc discovery --kubeconfig} writes verifies the API server's TokenRequest tokens, and
 * {@code oidc verify} judges them against a trust policy.
 */
@ExtendWith(ControlPlaneExtension.class)
class OidcIT {

    private static final Path OUT = Path.of("target", "e2e", "oidc").toAbsolutePath();

    private static String namespace;
    private static Path token;

    @BeforeAll
    static void tokenRequest(ControlPlane controlPlane) throws Exception {
        namespace = controlPlane.createNamespace("oidc");
        controlPlane.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("app").endMetadata().build()).create();
        String jwt = controlPlane.client().serviceAccounts().inNamespace(namespace).withName("app")
                .tokenRequest(new TokenRequestBuilder().withNewSpec()
                        .addToAudiences("sts.amazonaws.com").withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Processes.deleteRecursively(OUT);
        Files.createDirectories(OUT);
        token = Files.writeString(OUT.resolve("token"), jwt);
    }

    @Test
    void discoveryFromTheClusterWritesAJwksThatVerifiesATokenRequestToken(ControlPlane controlPlane) throws Exception {
        Processes.Result result = Webhook.toolkit("oidc", "discovery", "--issuer", controlPlane.issuer(),
                "--kubeconfig", controlPlane.kubeconfig().toString(), "--out", OUT.resolve("site").toString());

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(Files.readString(OUT.resolve("site/.well-known/openid-configuration"))
                .contains("\"jwks_uri\": \"" + controlPlane.issuer() + "/openid/v1/jwks\""));
        Jwks jwks = Jwks.parse(Files.readString(OUT.resolve("site/openid/v1/jwks")), "jwks");
        Jwt jwt = Jwt.parse(Files.readString(token));
        Jwk key = jwks.find(jwt.header().path("kid").asText()).orElseThrow(
                () -> new AssertionError("the token's kid " + jwt.header().path("kid") + " is not in " + jwks.kids()));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key.publicKey());
        rs256.update(jwt.signingInput());
        assertTrue(rs256.verify(jwt.signature()), "the API server's token does not verify with the written JWKS");
    }

    @Test
    void discoveryFromTheSigningKeyFilesComputesTheApiServersKids(ControlPlane controlPlane) throws Exception {
        Path pki = controlPlane.kubeconfig().getParent().resolve("pki");
        Jwks cluster = Jwks.parse(controlPlane.rawGet("/openid/v1/jwks"), "the API server's JWKS");
        for (String file : List.of("sa.key", "sa.pub")) {
            Path out = OUT.resolve("from-" + file);
            Processes.Result result = Webhook.toolkit("oidc", "discovery", "--issuer", controlPlane.issuer(),
                    "--public-key", pki.resolve(file).toString(), "--out", out.toString());

            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals(cluster, Jwks.parse(Files.readString(out.resolve("openid/v1/jwks")), file),
                    "kid, n and e computed from " + file + " are the API server's");
        }
    }

    @Test
    void verifyAcceptsTheTokenForItsServiceAccountAndNamesTheFailedConditionOtherwise(ControlPlane controlPlane)
            throws Exception {
        Processes.Result discovery = Webhook.toolkit("oidc", "discovery", "--issuer", controlPlane.issuer(),
                "--kubeconfig", controlPlane.kubeconfig().toString(), "--out", OUT.resolve("verify").toString());
        assertEquals(0, discovery.exitCode(), discovery.stderr());
        String jwks = OUT.resolve("verify/openid/v1/jwks").toString();

        Processes.Result accepted = Webhook.toolkit("oidc", "verify", "--token", token.toString(), "--issuer",
                controlPlane.issuer(), "--jwks", jwks, "--trust-policy",
                policy(controlPlane, "system:serviceaccount:" + namespace + ":app").toString());
        assertEquals(0, accepted.exitCode(), accepted.stdout() + accepted.stderr());
        assertTrue(accepted.stdout().endsWith("accepted: STS would accept this token\n"), accepted.stdout());

        Processes.Result refused = Webhook.toolkit("oidc", "verify", "--token", token.toString(), "--issuer",
                controlPlane.issuer(), "--jwks", jwks, "--trust-policy",
                policy(controlPlane, "system:serviceaccount:" + namespace + ":other").toString());
        assertEquals(1, refused.exitCode(), refused.stdout() + refused.stderr());
        assertTrue(refused.stdout().contains("FAIL        StringEquals oidc.example.test/cluster:sub: sub [\"system:serviceaccount:"
                + namespace + ":app\"] equals none of [\"system:serviceaccount:" + namespace + ":other\"]"), refused.stdout());
    }

    private static Path policy(ControlPlane controlPlane, String subject) throws Exception {
        String hostPath = controlPlane.issuer().substring("https://".length());
        return Files.writeString(Files.createTempFile(OUT, "policy-", ".json"), """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/%1$s"},
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": {"StringEquals": {"%1$s:sub": "%2$s", "%1$s:aud": "sts.amazonaws.com"}}}]}
                """.formatted(hostPath, subject), StandardCharsets.UTF_8);
    }
}
