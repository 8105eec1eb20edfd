package io.podidentity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PublicationComparisonTest {

    static final String ISSUER = "https://oidc.example.test/cluster";
    static final Discovery DISCOVERY = Discovery.forIssuer(ISSUER, "openid/v1/jwks");
    static final Jwk KEY = Jwk.of(TestTokens.rsaKeyPair().getPublic());
    static final Jwk OLD_KEY = Jwk.of(TestTokens.rsaKeyPair().getPublic());

    static String outcomes(List<Check> checks) {
        return checks.stream().map(c -> c.outcome() + " " + c.name().replace(KEY.kid(), "KEY").replace(OLD_KEY.kid(), "OLD"))
                .collect(Collectors.joining(", "));
    }

    @Test
    void agreesWhenIssuerAndKeysAreTheSame() {
        assertEquals("PASS cluster issuer, PASS published issuer, PASS key KEY", outcomes(PublicationComparison.compare(
                ISSUER, DISCOVERY, new Jwks(List.of(KEY)), DISCOVERY, new Jwks(List.of(KEY)))));
    }

    @Test
    void anOldKeyStillPublishedIsFine() {
        assertEquals("PASS cluster issuer, PASS published issuer, PASS key KEY, PASS key OLD", outcomes(
                PublicationComparison.compare(ISSUER, DISCOVERY, new Jwks(List.of(KEY)), DISCOVERY,
                        new Jwks(List.of(KEY, OLD_KEY)))));
    }

    @Test
    void aClusterKeyMissingFromThePublicationFails() {
        assertEquals("PASS cluster issuer, PASS published issuer, FAIL key KEY, PASS key OLD", outcomes(
                PublicationComparison.compare(ISSUER, DISCOVERY, new Jwks(List.of(KEY)), DISCOVERY,
                        new Jwks(List.of(OLD_KEY)))));
    }

    @Test
    void aKeyPublishedUnderTheSameKidWithAnotherModulusFails() {
        Jwk forged = new Jwk(KEY.kid(), KEY.modulus().add(BigInteger.TWO), KEY.exponent());

        assertEquals("PASS cluster issuer, PASS published issuer, FAIL key KEY", outcomes(PublicationComparison.compare(
                ISSUER, DISCOVERY, new Jwks(List.of(KEY)), DISCOVERY, new Jwks(List.of(forged)))));
    }

    @Test
    void aPublishedDocumentNamingAnotherIssuerFails() {
        Discovery other = Discovery.forIssuer("https://oidc.example.test", "openid/v1/jwks");

        assertEquals("PASS cluster issuer, FAIL published issuer, PASS key KEY", outcomes(PublicationComparison.compare(
                ISSUER, DISCOVERY, new Jwks(List.of(KEY)), other, new Jwks(List.of(KEY)))));
    }
}
