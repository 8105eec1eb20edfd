package io.podidentity.oidc;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a token the way STS does before it looks at the role: RS256 signature by a key of the
 * issuer's JWKS, {@code iss}, {@code aud}, {@code exp} and {@code nbf}.
 */
public final class TokenVerifier {

    /** Clock skew tolerated on {@code exp} and {@code nbf}. */
    public static final Duration LEEWAY = Duration.ofSeconds(60);

    private final Jwks jwks;
    private final String issuer;
    private final String audience;

    /**
     * @param issuer the expected {@code iss}, compared exactly
     * @param audience one of the token's {@code aud} values must equal it
     */
    public TokenVerifier(Jwks jwks, String issuer, String audience) {
        this.jwks = jwks;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** One check per property, in the order above; all must pass. */
    public List<Check> verify(Jwt token, Instant now) {
        List<Check> checks = new ArrayList<>();
        checks.add(signature(token));
        String iss = token.claims().path("iss").asText("");
        checks.add(iss.equals(issuer)
                ? Check.pass("iss", "\"" + iss + "\"")
                : Check.fail("iss", "\"" + iss + "\" is not the issuer \"" + issuer + "\""));
        List<String> audiences = token.audiences();
        checks.add(audiences.contains(audience)
                ? Check.pass("aud", audiences + " contains \"" + audience + "\"")
                : Check.fail("aud", audiences + " does not contain \"" + audience + "\""));
        checks.add(expiry(token, now));
        checks.add(notBefore(token, now));
        return checks;
    }

    private Check signature(Jwt token) {
        String alg = token.header().path("alg").asText("");
        if (!alg.equals("RS256")) {
            return Check.fail("signature", "alg is \"" + alg + "\"; only RS256 is accepted");
        }
        String kid = token.header().path("kid").asText("");
        List<Jwk> candidates;
        if (kid.isEmpty()) {
            candidates = jwks.keys();
        } else {
            Optional<Jwk> key = jwks.find(kid);
            if (key.isEmpty()) {
                return Check.fail("signature", "no key with kid \"" + kid + "\" in the JWKS (it has " + jwks.kids() + ")");
            }
            candidates = List.of(key.get());
        }
        for (Jwk key : candidates) {
            if (verifies(token, key)) {
                return Check.pass("signature", "RS256 by key " + key.kid());
            }
        }
        return Check.fail("signature", kid.isEmpty()
                ? "the token has no kid and no key of the JWKS verifies it"
                : "RS256 signature does not verify with key " + kid);
    }

    private static boolean verifies(Jwt token, Jwk key) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key.publicKey());
            rs256.update(token.signingInput());
            return rs256.verify(token.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Check expiry(Jwt token, Instant now) {
        if (!token.claims().path("exp").canConvertToLong()) {
            return Check.fail("exp", "the token has no exp; STS requires one");
        }
        Instant exp = Instant.ofEpochSecond(token.claims().path("exp").asLong());
        return now.isBefore(exp.plus(LEEWAY))
                ? Check.pass("exp", "expires " + exp)
                : Check.fail("exp", "expired " + exp + " (now " + now.truncatedTo(ChronoUnit.SECONDS) + ")");
    }

    private static Check notBefore(Jwt token, Instant now) {
        if (!token.claims().has("nbf")) {
            return Check.pass("nbf", "absent");
        }
        Instant nbf = Instant.ofEpochSecond(token.claims().path("nbf").asLong());
        return now.isBefore(nbf.minus(LEEWAY))
                ? Check.fail("nbf", "not valid before " + nbf + " (now " + now.truncatedTo(ChronoUnit.SECONDS) + ")")
                : Check.pass("nbf", "valid since " + nbf);
    }
}
