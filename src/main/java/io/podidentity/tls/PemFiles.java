package io.podidentity.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads serving certificates and keys from PEM files, reporting any problem as one line that
 * names the file, so that a bad {@code --tls-cert}/{@code --tls-key} stops startup with a message
 * rather than a TLS stack trace.
 */
public final class PemFiles {

    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String KEY_FORMATS = "expected PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\"";

    private PemFiles() {
    }

    /** A certificate chain, leaf first, and the private key of its leaf. */
    public record KeyPair(List<X509Certificate> chain, PrivateKey privateKey) {}

    /**
     * The bytes of a certificate file and of its key's file, each read once: what a server keeps to
     * notice a rotation, and parses into the pair it serves, so that what it serves is what it compares.
     */
    public record Contents(Path cert, byte[] certPem, Path key, byte[] keyPem) {

        /**
         * @throws IllegalArgumentException with a one-line message naming the flag and the file if
         *     either is missing or unreadable
         */
        public static Contents read(Path cert, Path key) {
            return new Contents(cert, PemBlocks.bytes(cert, certLabel(cert)), key, PemBlocks.bytes(key, keyLabel(key)));
        }

        /** Both files the same, byte for byte, and under the same names (a record compares arrays by identity). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Contents that && cert.equals(that.cert) && key.equals(that.key)
                    && Arrays.equals(certPem, that.certPem) && Arrays.equals(keyPem, that.keyPem);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cert, key, Arrays.hashCode(certPem), Arrays.hashCode(keyPem));
        }

        /**
         * The certificate chain and the unencrypted private key these bytes hold, checked to be a pair.
         *
         * @throws IllegalArgumentException with a one-line message naming the flag, the file and the problem
         */
        public KeyPair keyPair() {
            String certLabel = certLabel(cert);
            String keyLabel = keyLabel(key);
            List<X509Certificate> chain = certificates(PemBlocks.parse(certPem, certLabel), certLabel);
            PrivateKey privateKey = firstPrivateKey(PemBlocks.parse(keyPem, keyLabel), keyLabel);
            if (!KeyMatcher.matches(privateKey, chain.get(0).getPublicKey())) {
                throw new IllegalArgumentException(keyLabel + " does not match the certificate in " + certLabel);
            }
            return new KeyPair(chain, privateKey);
        }
    }

    /**
     * Reads {@code cert}'s certificate chain and {@code key}'s unencrypted private key, each file
     * once, and checks that the key is the first certificate's.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag, the file and the problem
     */
    public static KeyPair readKeyPair(Path cert, Path key) {
        return Contents.read(cert, key).keyPair();
    }

    /**
     * The {@code CERTIFICATE} blocks of {@code file}, in file order (leaf first in a chain); other
     * blocks are skipped.
     *
     * @throws IllegalArgumentException with a one-line message if the file is missing, unreadable or has no certificate
     */
    public static List<X509Certificate> readCertificates(Path file) {
        return certificates(PemBlocks.read(file, file.toString()), file.toString());
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
        return firstPrivateKey(PemBlocks.read(file, file.toString()), file.toString());
    }

    private static String certLabel(Path cert) {
        return "--tls-cert " + cert;
    }

    private static String keyLabel(Path key) {
        return "--tls-key " + key;
    }

    private static List<X509Certificate> certificates(List<PemBlocks.Block> blocks, String label) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemBlocks.Block block : blocks) {
            if (PemBlocks.isCertificate(block)) {
                try {
                    certificates.add(PemBlocks.certificate(block.content()));
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

    private static PrivateKey firstPrivateKey(List<PemBlocks.Block> blocks, String label) {
        String namedCurve = null;
        for (PemBlocks.Block block : blocks) {
            if (PemBlocks.encrypted(block)) {
                throw new IllegalArgumentException(label + " is encrypted; an unencrypted key is required");
            }
            switch (block.type()) {
                case "EC PARAMETERS" -> namedCurve = curve(block, label);
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    byte[] pkcs8 = pkcs8(block, namedCurve, label);
                    if (pkcs8 == null) {
                        throw new IllegalArgumentException(label + ": private key cannot be used (an EC key needs a "
                                + "named curve, in the key or in an \"EC PARAMETERS\" block before it)");
                    }
                    return privateKey(pkcs8, label);
                }
                default -> { } // certificates and anything else in the same file
            }
        }
        throw new IllegalArgumentException(label + ": no private key found (" + KEY_FORMATS + ")");
    }

    /**
     * The key as PKCS#8. PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys are
     * the inner structure of PKCS#8, so they are wrapped whole with their algorithm; a SEC1 key's
     * curve is its own {@code [0]} parameters or, when it has none (as some tools write it), the
     * {@code EC PARAMETERS} block before it.
     *
     * @return the key, or {@code null} for a SEC1 key without a named curve
     */
    private static byte[] pkcs8(PemBlocks.Block block, String namedCurve, String label) {
        byte[] der = block.content();
        try {
            return switch (block.type()) {
                case "RSA PRIVATE KEY" -> {
                    Der.parse(der, Der.SEQUENCE).child(0, Der.INTEGER);
                    yield Der.pkcs8(RSA_ENCRYPTION, Der.nullValue(), der);
                }
                case "EC PRIVATE KEY" -> {
                    Der.Element key = Der.parse(der, Der.SEQUENCE);
                    key.child(1, Der.OCTET_STRING);
                    List<Der.Element> fields = key.children();
                    String curve = namedCurve;
                    if (fields.size() > 2 && fields.get(2).tag() == Der.CONTEXT_0) {
                        List<Der.Element> parameters = fields.get(2).children();
                        if (parameters.size() == 1 && parameters.get(0).tag() == Der.OBJECT_IDENTIFIER) {
                            curve = parameters.get(0).oid();
                        }
                    }
                    yield curve == null ? null : Der.pkcs8(EC_PUBLIC_KEY, Der.objectIdentifier(curve), der);
                }
                default -> der; // PKCS#8 already: privateKey reads it, once
            };
        } catch (IllegalArgumentException e) {
            throw PemBlocks.invalid(label, "not valid PEM", new IllegalArgumentException("the \"" + block.type()
                    + "\" block: " + e.getMessage(), e));
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8, String label) {
        String oid;
        try {
            oid = Der.parse(pkcs8, Der.SEQUENCE).child(1, Der.SEQUENCE).child(0, Der.OBJECT_IDENTIFIER).oid();
        } catch (IllegalArgumentException e) {
            throw PemBlocks.invalid(label, "not valid PEM", new IllegalArgumentException("the \"PRIVATE KEY\" block: "
                    + e.getMessage(), e));
        }
        String algorithm = PemBlocks.keyAlgorithm(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException(label + ": private key cannot be used (key algorithm " + oid
                    + " is not RSA, EC, Ed25519, Ed448 or DSA)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw PemBlocks.invalid(label, "private key cannot be used", e);
        }
    }

    private static String curve(PemBlocks.Block block, String label) {
        try {
            return Der.parse(block.content(), Der.OBJECT_IDENTIFIER).oid();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": private key cannot be used (\"EC PARAMETERS\" is not a "
                    + "named curve)", e);
        }
    }
}
