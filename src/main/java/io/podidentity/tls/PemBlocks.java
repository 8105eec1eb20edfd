package io.podidentity.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The blocks of a PEM file, decoded but not interpreted, and the few facts about them that the
 * certificate and key readers share. Interpreting them with the JDK (certificate and key
 * factories) rather than with Bouncy Castle's {@code PEMParser} and {@code JcaPEMKeyConverter}
 * keeps Bouncy Castle's curve tables and post-quantum algorithms out of the native executable.
 */
public final class PemBlocks {

    /** The JDK's names of the key algorithms the webhook and the toolkit read, by their OID. */
    private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            X9ObjectIdentifiers.id_dsa, "DSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448");

    private PemBlocks() {
    }

    /**
     * Every block of {@code file} in file order; text outside blocks is ignored, as openssl does.
     *
     * @param label how messages name the file (a flag and the path, say)
     * @throws IllegalArgumentException in one line, naming {@code label}, when the file is missing,
     *     unreadable or a block is not valid base64
     */
    public static List<PemObject> read(Path file, String label) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(label + ": file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(label + ": not a regular file");
        }
        List<PemObject> blocks = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PemReader pem = new PemReader(reader)) {
            for (PemObject block = pem.readPemObject(); block != null; block = pem.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException e) {
            if (Files.isReadable(file)) {
                throw invalid(label, "not valid PEM", e);
            }
            throw new IllegalArgumentException(label + ": cannot be read (" + PemFileWriter.describe(e) + ")", e);
        } catch (RuntimeException e) {
            // Bouncy Castle reports bad base64 inside a block with unchecked exceptions.
            throw invalid(label, "not valid PEM", e);
        }
        return blocks;
    }

    /** An encrypted key: PKCS#8's own block, or OpenSSL's traditional {@code Proc-Type: 4,ENCRYPTED}. */
    public static boolean encrypted(PemObject block) {
        return block.getType().equals("ENCRYPTED PRIVATE KEY") || block.getHeaders().stream()
                .anyMatch(header -> header instanceof PemHeader h && h.getName().equalsIgnoreCase("Proc-Type")
                        && h.getValue().contains("ENCRYPTED"));
    }

    /** A certificate block, under its usual label or OpenSSL's older {@code X509 CERTIFICATE}. */
    public static boolean isCertificate(PemObject block) {
        return block.getType().equals("CERTIFICATE") || block.getType().equals("X509 CERTIFICATE");
    }

    /** The X.509 certificate a DER encoding holds, decoded by the JDK. */
    public static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** The JDK's name of a key algorithm (for {@code KeyFactory}), or {@code null} when not one of ours. */
    public static String keyAlgorithm(ASN1ObjectIdentifier oid) {
        return KEY_ALGORITHMS.get(oid);
    }

    /** {@code label: what (the cause's message)}, in one line. */
    public static IllegalArgumentException invalid(String label, String what, Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IllegalArgumentException(label + ": " + what + " (" + detail.replaceAll("\\s+", " ").trim() + ")",
                cause);
    }
}
