package io.podidentity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwkTest {

    @Test
    void kidIsBase64UrlOfSha256OfTheDerPublicKey() throws Exception {
        KeyPair keys = TestTokens.rsaKeyPair();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
        String expected = Base64.getUrlEncoder().encodeToString(digest).replace("=", "");

        assertEquals(expected, Jwk.of(keys.getPublic()).kid());
    }

    @Test
    void modulusAndExponentAreUnsignedBigEndianWithoutPadding() {
        RSAPublicKey key = (RSAPublicKey) TestTokens.rsaKeyPair().getPublic();
        var json = Jwk.of(key).toJson();

        byte[] n = Base64.getUrlDecoder().decode(json.path("n").asText());
        assertEquals(256, n.length, "a 2048-bit modulus is 256 bytes, no sign byte");
        assertEquals(key.getModulus(), new BigInteger(1, n));
        assertEquals("AQAB", json.path("e").asText());
        assertTrue(!json.path("n").asText().contains("="));
        assertEquals("sig RSA RS256", json.path("use").asText() + " " + json.path("kty").asText() + " "
                + json.path("alg").asText());
    }

    @Test
    void jsonRoundTripKeepsTheKey() {
        Jwk jwk = Jwk.of(TestTokens.rsaKeyPair().getPublic());

        assertEquals(jwk, Jwk.fromJson(jwk.toJson()));
        assertEquals(jwk.kid(), Jwk.keyId(jwk.publicKey()));
    }

    @Test
    void refusesEcKeysSayingAwsAcceptsOnlyRsa() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jwk.of(ec.generateKeyPair().getPublic()));
        assertTrue(e.getMessage().contains("AWS IAM accepts only RSA keys"), e.getMessage());
    }
}
