package io.podidentity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * One RSA signing key as a JSON Web Key, in the shape kube-apiserver serves at
 * {@code /openid/v1/jwks}.
 *
 * @param kid key id: base64url of the SHA-256 of the DER SubjectPublicKeyInfo, as kube-apiserver
 *        computes it, so the {@code kid} in its tokens finds this key
 * @param modulus RSA modulus
 * @param exponent RSA public exponent
 */
public record Jwk(String kid, BigInteger modulus, BigInteger exponent) {

    static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    /**
     * @throws IllegalArgumentException when the key is not RSA: AWS IAM accepts only RSA keys
     */
    public static Jwk of(PublicKey key) {
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("the key is " + key.getAlgorithm()
                    + "; AWS IAM accepts only RSA keys for OIDC providers");
        }
        return new Jwk(keyId(rsa), rsa.getModulus(), rsa.getPublicExponent());
    }

    /** base64url (no padding) of the SHA-256 of the key's DER SubjectPublicKeyInfo. */
    public static String keyId(PublicKey key) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Reads a JWK as published; only RSA keys are usable.
     *
     * @throws IllegalArgumentException naming the missing or unusable member
     */
    public static Jwk fromJson(JsonNode node) {
        String kty = node.path("kty").asText("");
        if (!kty.equals("RSA")) {
            throw new IllegalArgumentException("key " + node.path("kid").asText("(no kid)") + " has kty \"" + kty
                    + "\"; AWS IAM accepts only RSA keys");
        }
        return new Jwk(node.path("kid").asText(""), unsigned(node, "n"), unsigned(node, "e"));
    }

    /** The key for signature checks. */
    public RSAPublicKey publicKey() {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key " + kid + " is not a usable RSA key: " + e.getMessage(), e);
        }
    }

    /** Members in kube-apiserver's order: use, kty, kid, alg, n, e. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("use", "sig");
        node.put("kty", "RSA");
        node.put("kid", kid);
        node.put("alg", "RS256");
        node.put("n", BASE64URL.encodeToString(unsignedBytes(modulus)));
        node.put("e", BASE64URL.encodeToString(unsignedBytes(exponent)));
        return node;
    }

    private static BigInteger unsigned(JsonNode node, String member) {
        String text = node.path(member).asText("");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("key " + node.path("kid").asText("(no kid)") + " has no \"" + member + "\"");
        }
        try {
            return new BigInteger(1, BASE64URL_DECODER.decode(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key " + node.path("kid").asText("(no kid)") + ": \"" + member
                    + "\" is not base64url");
        }
    }

    /** Big-endian without the sign byte Java adds when the top bit is set. */
    private static byte[] unsignedBytes(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
