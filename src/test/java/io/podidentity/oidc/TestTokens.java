package io.podidentity.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** RSA keys and RS256 tokens made in the test, as kube-apiserver would make them. */
public final class TestTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private TestTokens() {
    }

    public static KeyPair rsaKeyPair() {
        return TestCertificates.rsaKeyPair();
    }

    /** A compact JWS with header {@code {"alg":"RS256","kid":kid}} over {@code claims}. */
    public static String sign(KeyPair keys, String kid, Map<String, ?> claims) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "RS256");
            if (kid != null) {
                header.put("kid", kid);
            }
            String input = BASE64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of a service-account token for {@code sts.amazonaws.com}, valid from {@code iat} for an hour. */
    public static Map<String, Object> serviceAccountClaims(String issuer, String subject, long iat) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", java.util.List.of("sts.amazonaws.com"));
        claims.put("exp", iat + 3600);
        claims.put("iat", iat);
        claims.put("iss", issuer);
        claims.put("nbf", iat);
        claims.put("sub", subject);
        return claims;
    }
}
