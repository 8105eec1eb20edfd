package io.podidentity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    static final String ISSUER = "https://oidc.example.test/cluster";
    static final long IAT = 1_800_000_000L;
    static final Instant NOW = Instant.ofEpochSecond(IAT + 60);

    final KeyPair keys = TestTokens.rsaKeyPair();
    final Jwk jwk = Jwk.of(keys.getPublic());
    final TokenVerifier verifier = new TokenVerifier(new Jwks(List.of(jwk)), ISSUER, "sts.amazonaws.com");

    Map<String, Object> claims() {
        return TestTokens.serviceAccountClaims(ISSUER, "system:serviceaccount:ns:app", IAT);
    }

    Check check(String token, String name, Instant now) {
        return verifier.verify(Jwt.parse(token), now).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void acceptsAServiceAccountTokenSignedByAJwksKey() {
        List<Check> checks = verifier.verify(Jwt.parse(TestTokens.sign(keys, jwk.kid(), claims())), NOW);

        assertEquals(List.of("signature", "iss", "aud", "exp", "nbf"), checks.stream().map(Check::name).toList());
        assertTrue(checks.stream().allMatch(Check::passed), checks.toString());
    }

    @Test
    void refusesASignatureByAnotherKeyWithTheSameKid() {
        String token = TestTokens.sign(TestTokens.rsaKeyPair(), jwk.kid(), claims());

        Check signature = check(token, "signature", NOW);
        assertEquals(Check.Outcome.FAIL, signature.outcome());
        assertTrue(signature.detail().contains("does not verify"), signature.detail());
    }

    @Test
    void namesTheUnknownKidAndTheKidsTheJwksHas() {
        Check signature = check(TestTokens.sign(keys, "other", claims()), "signature", NOW);

        assertEquals("no key with kid \"other\" in the JWKS (it has [" + jwk.kid() + "])", signature.detail());
    }

    @Test
    void withoutKidTriesEveryKey() {
        assertTrue(check(TestTokens.sign(keys, null, claims()), "signature", NOW).passed());
    }

    @Test
    void refusesAnotherIssuer() {
        Map<String, Object> claims = claims();
        claims.put("iss", "https://kubernetes.default.svc");

        assertEquals(Check.Outcome.FAIL, check(TestTokens.sign(keys, jwk.kid(), claims), "iss", NOW).outcome());
    }

    @Test
    void acceptsAudienceAsAStringAndRefusesAnotherAudience() {
        Map<String, Object> claims = claims();
        claims.put("aud", "sts.amazonaws.com");
        assertTrue(check(TestTokens.sign(keys, jwk.kid(), claims), "aud", NOW).passed());

        claims.put("aud", List.of("https://kubernetes.default.svc"));
        assertEquals(Check.Outcome.FAIL, check(TestTokens.sign(keys, jwk.kid(), claims), "aud", NOW).outcome());
    }

    @Test
    void refusesAnExpiredTokenBeyondTheLeeway() {
        String token = TestTokens.sign(keys, jwk.kid(), claims());

        assertTrue(check(token, "exp", Instant.ofEpochSecond(IAT + 3600 + 30)).passed(), "within the leeway");
        assertEquals(Check.Outcome.FAIL, check(token, "exp", Instant.ofEpochSecond(IAT + 3600 + 61)).outcome());
    }

    @Test
    void refusesATokenNotYetValidBeyondTheLeeway() {
        String token = TestTokens.sign(keys, jwk.kid(), claims());

        assertTrue(check(token, "nbf", Instant.ofEpochSecond(IAT - 30)).passed(), "within the leeway");
        assertEquals(Check.Outcome.FAIL, check(token, "nbf", Instant.ofEpochSecond(IAT - 61)).outcome());
    }

    @Test
    void refusesOtherAlgorithms() {
        String token = TestTokens.sign(keys, jwk.kid(), claims());
        String header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes());
        String unsigned = header + token.substring(token.indexOf('.'));

        assertEquals("alg is \"none\"; only RS256 is accepted", check(unsigned, "signature", NOW).detail());
    }

    @Test
    void malformedTokensSayWhatIsWrong() {
        assertEquals("the token has 2 dot-separated parts; a signed JWT has 3 (header.claims.signature)",
                assertThrows(IllegalArgumentException.class, () -> Jwt.parse("a.b")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Jwt.parse("e30.bm90IGpzb24.c2ln"))
                .getMessage().startsWith("the token's claims is not valid JSON"));
    }
}
