package io.podidentity.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;

/** Tells whether a private key belongs to a public key, for any algorithm a TLS server may use. */
final class KeyMatcher {

    private static final byte[] CHALLENGE = "pod-identity-webhook key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyMatcher() {
    }

    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (privateKey instanceof RSAKey rsaPrivate && publicKey instanceof RSAKey rsaPublic) {
            return rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        // An EC or EdDSA private key does not carry its public point in a form the JDK exposes;
        // a signature made with one and checked with the other proves they are a pair.
        String algorithm = signatureAlgorithm(privateKey);
        return algorithm != null && signsFor(algorithm, privateKey, publicKey);
    }

    private static boolean signsFor(String algorithm, PrivateKey privateKey, PublicKey publicKey) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // Keys on different curves, for instance: certainly not a pair.
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
    }
}
