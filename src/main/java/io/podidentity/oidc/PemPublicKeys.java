package io.podidentity.oidc;

import io.podidentity.tls.PemBlocks;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The public keys in a PEM file, whatever the file holds: {@code PUBLIC KEY}, {@code RSA PUBLIC
 * KEY}, {@code CERTIFICATE}, or the private key kube-apiserver signs with
 * ({@code --service-account-signing-key-file}, PKCS#8 or PKCS#1), whose public half is derived.
 */
public final class PemPublicKeys {

    private PemPublicKeys() {
    }

    /**
     * @throws IllegalArgumentException naming the file when it is missing, not PEM, encrypted or
     *         holds no key
     */
    public static List<PublicKey> read(Path file) {
        List<PublicKey> keys = new ArrayList<>();
        String label = file.toString();
        for (PemBlocks.Block block : PemBlocks.read(file, label)) {
            if (PemBlocks.encrypted(block)) {
                throw new IllegalArgumentException(file + ": the key is encrypted; give the public key or an unencrypted key");
            }
            try {
                PublicKey key = publicKey(block, file);
                if (key != null) {
                    keys.add(key);
                }
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException known && known.getMessage() != null
                        && known.getMessage().startsWith(label)) {
                    throw known;
                }
                throw PemBlocks.invalid(label, "not valid PEM", e);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": no key found (expected PEM \"PUBLIC KEY\", \"RSA PUBLIC KEY\", "
                    + "\"CERTIFICATE\", \"PRIVATE KEY\" or \"RSA PRIVATE KEY\")");
        }
        return keys;
    }

    private static PublicKey publicKey(PemBlocks.Block block, Path file) throws GeneralSecurityException, IOException {
        byte[] der = block.content();
        if (PemBlocks.isCertificate(block)) {
            return PemBlocks.certificate(der).getPublicKey();
        }
        return switch (block.type()) {
            case "PUBLIC KEY" -> {
                ASN1ObjectIdentifier oid = SubjectPublicKeyInfo.getInstance(der).getAlgorithm().getAlgorithm();
                String algorithm = PemBlocks.keyAlgorithm(oid.getId());
                if (algorithm == null) {
                    throw new IllegalArgumentException(file + ": the public key's algorithm " + oid
                            + " is not RSA; AWS IAM accepts only RSA keys");
                }
                yield KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            }
            case "RSA PUBLIC KEY" -> {
                RSAPublicKey rsa = RSAPublicKey.getInstance(der);
                yield rsaPublic(rsa.getModulus(), rsa.getPublicExponent());
            }
            case "RSA PRIVATE KEY" -> {
                RSAPrivateKey rsa = RSAPrivateKey.getInstance(der);
                yield rsaPublic(rsa.getModulus(), rsa.getPublicExponent());
            }
            case "EC PRIVATE KEY" -> throw new IllegalArgumentException(file + ": the private key is EC; AWS IAM accepts "
                    + "only RSA keys");
            case "PRIVATE KEY" -> {
                PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(der);
                ASN1ObjectIdentifier oid = pkcs8.getPrivateKeyAlgorithm().getAlgorithm();
                if (!oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                    String algorithm = PemBlocks.keyAlgorithm(oid.getId());
                    throw new IllegalArgumentException(file + ": the private key is "
                            + (algorithm == null ? oid.getId() : algorithm) + "; AWS IAM accepts only RSA keys");
                }
                RSAPrivateKey rsa = RSAPrivateKey.getInstance(pkcs8.parsePrivateKey());
                yield rsaPublic(rsa.getModulus(), rsa.getPublicExponent());
            }
            default -> null;
        };
    }

    private static PublicKey rsaPublic(BigInteger modulus, BigInteger exponent) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable RSA key: " + e.getMessage(), e);
        }
    }
}
