package io.podidentity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JWS in compact form ({@code header.claims.signature}), decoded but not yet trusted.
 *
 * @param header the JOSE header ({@code alg}, {@code kid})
 * @param claims the payload
 * @param signingInput the first two segments as sent, which the signature covers
 * @param signature the decoded third segment
 */
public record Jwt(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

    /**
     * @throws IllegalArgumentException when the text is not three base64url segments with JSON
     *         objects in the first two
     */
    public static Jwt parse(String token) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the token has " + parts.length
                    + " dot-separated parts; a signed JWT has 3 (header.claims.signature)");
        }
        return new Jwt(segment(parts[0], "header"), segment(parts[1], "claims"),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), decode(parts[2], "signature"));
    }

    /** The {@code aud} claim, a string or an array of strings, as a list. */
    public List<String> audiences() {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual()) {
            return List.of(aud.asText());
        }
        List<String> list = new ArrayList<>();
        aud.forEach(value -> list.add(value.asText()));
        return list;
    }

    private static JsonNode segment(String part, String what) {
        return PrettyJson.readObject(new String(decode(part, what), StandardCharsets.UTF_8), "the token's " + what);
    }

    private static byte[] decode(String part, String what) {
        try {
            return Jwk.BASE64URL_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token's " + what + " is not base64url");
        }
    }
}
