package io.podidentity.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tokens the webhook's projected volume asks kubelet for are ordinary TokenRequests: this
 * checks that the control plane issues them the way STS will read them (signature against the
 * published JWKS, issuer, subject, audience), with nothing but JDK cryptography.
 */
@ExtendWith(ControlPlaneExtension.class)
class ServiceAccountTokenIT {

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    @Test
    void tokenRequestForStsAudienceVerifiesAgainstApiServerJwks(ControlPlane controlPlane)
            throws GeneralSecurityException {
        String namespace = controlPlane.createNamespace("token-request");
        controlPlane.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("app").endMetadata().build()).create();

        String token = controlPlane.client().serviceAccounts().inNamespace(namespace).withName("app")
                .tokenRequest(new TokenRequestBuilder().withNewSpec()
                        .addToAudiences("sts.amazonaws.com").withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, "a JWS in compact form");
        JsonNode header = Pods.tree(new String(BASE64URL.decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = Pods.tree(new String(BASE64URL.decode(parts[1]), StandardCharsets.UTF_8));

        JsonNode discovery = Pods.tree(controlPlane.rawGet("/.well-known/openid-configuration"));
        assertEquals(controlPlane.issuer(), discovery.path("issuer").asText());
        assertEquals(controlPlane.issuer() + "/openid/v1/jwks", discovery.path("jwks_uri").asText());
        JsonNode jwks = Pods.tree(controlPlane.rawGet("/openid/v1/jwks"));
        assertEquals("RS256", header.path("alg").asText());
        JsonNode key = StreamSupport.stream(jwks.path("keys").spliterator(), false)
                .filter(k -> k.path("kid").asText().equals(header.path("kid").asText()))
                .findFirst().orElse(null);
        assertNotNull(key, "no key " + header.path("kid") + " in " + jwks);

        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(rsaPublicKey(key));
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(BASE64URL.decode(parts[2])), "RS256 signature does not verify against the JWKS");

        assertEquals(controlPlane.issuer(), claims.path("iss").asText());
        assertEquals("system:serviceaccount:" + namespace + ":app", claims.path("sub").asText());
        assertTrue(StreamSupport.stream(claims.path("aud").spliterator(), false)
                .anyMatch(aud -> aud.asText().equals("sts.amazonaws.com")), "aud: " + claims.path("aud"));
        long now = Instant.now().getEpochSecond();
        assertTrue(claims.path("exp").asLong() > now && claims.path("exp").asLong() <= now + 3700,
                "exp about an hour ahead: " + claims.path("exp"));
    }

    private static PublicKey rsaPublicKey(JsonNode jwk) throws GeneralSecurityException {
        assertEquals("RSA", jwk.path("kty").asText());
        BigInteger modulus = new BigInteger(1, BASE64URL.decode(jwk.path("n").asText()));
        BigInteger exponent = new BigInteger(1, BASE64URL.decode(jwk.path("e").asText()));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
    }
}
