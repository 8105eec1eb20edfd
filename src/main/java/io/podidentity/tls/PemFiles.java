package io.podidentity.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads serving certificates and keys from PEM files, reporting any problem as one line that
 * names the file, so that a bad {@code --tls-cert}/{@code --tls-key} stops startup with a message
 * rather than a TLS stack trace.
 */
public final class PemFiles {

    private static final String KEY_FORMATS = "expected PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\"";

    private PemFiles() {
    }

    /**
     * Checks that {@code cert} holds a certificate chain and {@code key} the unencrypted private key
     * of its first certificate.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag, the file and the problem
     */
    public static void validateKeyPair(Path cert, Path key) {
        String certLabel = "--tls-cert " + cert;
        String keyLabel = "--tls-key " + key;
        X509Certificate leaf = readCertificates(cert, certLabel).get(0);
        PrivateKey privateKey = readPrivateKey(key, keyLabel);
        if (!KeyMatcher.matches(privateKey, leaf.getPublicKey())) {
            throw new IllegalArgumentException(keyLabel + " does not match the certificate in " + certLabel);
        }
    }

    /**
     * The {@code CERTIFICATE} blocks of {@code file}, in file order (leaf first in a chain); other
     * blocks are skipped.
     *
     * @throws IllegalArgumentException with a one-line message if the file is missing, unreadable or has no certificate
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return readCertificates(file, file.toString());
    }

    /**
     * The first private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA
     * PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, an {@code EC PARAMETERS} block before it is
     * fine). Other blocks, such as certificates bundled in the same file, are skipped.
     *
     * @throws IllegalArgumentException with a one-line message if the file is missing, unreadable,
     *     encrypted or has no usable key
     */
    public static PrivateKey readPrivateKey(Path file) {
        return readPrivateKey(file, file.toString());
    }

    private static List<X509Certificate> readCertificates(Path file, String label) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemObject block : PemBlocks.read(file, label)) {
            if (PemBlocks.isCertificate(block)) {
                try {
                    certificates.add(PemBlocks.certificate(block.getContent()));
                } catch (CertificateException e) {
                    throw PemBlocks.invalid(label, "certificate " + (certificates.size() + 1) + " cannot be read", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(label + ": no certificate found (expected PEM \"CERTIFICATE\")");
        }
        return List.copyOf(certificates);
    }

    private static PrivateKey readPrivateKey(Path file, String label) {
        ASN1ObjectIdentifier namedCurve = null;
        for (PemObject block : PemBlocks.read(file, label)) {
            if (PemBlocks.encrypted(block)) {
                throw new IllegalArgumentException(label + " is encrypted; an unencrypted key is required");
            }
            switch (block.getType()) {
                case "EC PARAMETERS" -> namedCurve = curve(block, label);
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    PrivateKeyInfo info = pkcs8(block, namedCurve, label);
                    if (info == null) {
                        throw new IllegalArgumentException(label + ": private key cannot be used (an EC key needs a "
                                + "named curve, in the key or in an \"EC PARAMETERS\" block before it)");
                    }
                    return privateKey(info, label);
                }
                default -> { } // certificates and anything else in the same file
            }
        }
        throw new IllegalArgumentException(label + ": no private key found (" + KEY_FORMATS + ")");
    }

    /**
     * The key as PKCS#8. PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys are
     * the inner structure of PKCS#8, so they are wrapped with their algorithm; only the private half
     * is used, because SEC1 keys written without the optional public key (as some tools do) have none.
     *
     * @return the key, or {@code null} for a SEC1 key without a named curve
     */
    private static PrivateKeyInfo pkcs8(PemObject block, ASN1ObjectIdentifier namedCurve, String label) {
        try {
            return switch (block.getType()) {
                case "RSA PRIVATE KEY" -> new PrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(block.getContent()));
                case "EC PRIVATE KEY" -> {
                    ECPrivateKey key = ECPrivateKey.getInstance(block.getContent());
                    ASN1Object parameters = key.getParametersObject();
                    ASN1ObjectIdentifier curve = parameters instanceof ASN1ObjectIdentifier oid ? oid : namedCurve;
                    yield curve == null ? null
                            : new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key);
                }
                default -> PrivateKeyInfo.getInstance(block.getContent());
            };
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's structure parsers report DER that is not the named structure unchecked.
            throw PemBlocks.invalid(label, "not valid PEM", e);
        }
    }

    private static PrivateKey privateKey(PrivateKeyInfo info, String label) {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = PemBlocks.keyAlgorithm(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException(label + ": private key cannot be used (key algorithm " + oid
                    + " is not RSA, EC, Ed25519, Ed448 or DSA)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw PemBlocks.invalid(label, "private key cannot be used", e);
        }
    }

    private static ASN1ObjectIdentifier curve(PemObject block, String label) {
        try {
            return ASN1ObjectIdentifier.getInstance(block.getContent());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(label + ": private key cannot be used (\"EC PARAMETERS\" is not a "
                    + "named curve)", e);
        }
    }
}
