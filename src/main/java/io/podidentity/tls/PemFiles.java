package io.podidentity.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

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
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object block : readBlocks(file, label)) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw problem(label, "certificate " + (certificates.size() + 1) + " cannot be read", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(label + ": no certificate found (expected PEM \"CERTIFICATE\")");
        }
        return List.copyOf(certificates);
    }

    private static PrivateKey readPrivateKey(Path file, String label) {
        for (Object block : readBlocks(file, label)) {
            if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IllegalArgumentException(label + " is encrypted; an unencrypted key is required");
            }
            // PKCS#1 and SEC1 arrive as a key pair; only its private half is used because SEC1 keys
            // written without the optional public key (as some tools do) have no public half.
            PrivateKeyInfo info = block instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                    : block instanceof PrivateKeyInfo pkcs8 ? pkcs8 : null;
            if (info != null) {
                try {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                } catch (IOException | RuntimeException e) {
                    throw problem(label, "private key cannot be used", e);
                }
            }
        }
        throw new IllegalArgumentException(label + ": no private key found (" + KEY_FORMATS + ")");
    }

    /** Every PEM block PEMParser recognises; text outside blocks is ignored, as openssl does. */
    private static List<Object> readBlocks(Path file, String label) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(label + ": file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(label + ": not a regular file");
        }
        List<Object> blocks = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        } catch (IOException e) {
            if (Files.isReadable(file)) {
                throw problem(label, "not valid PEM", e);
            }
            throw new IllegalArgumentException(label + ": cannot be read (" + PemFileWriter.describe(e) + ")", e);
        } catch (RuntimeException e) {
            // Bouncy Castle reports bad base64 or DER inside a block with unchecked exceptions.
            throw problem(label, "not valid PEM", e);
        }
        return blocks;
    }

    private static IllegalArgumentException problem(String label, String what, Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IllegalArgumentException(label + ": " + what + " (" + detail.replaceAll("\\s+", " ").trim() + ")",
                cause);
    }
}
