package io.podidentity.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks of a PEM file, decoded but not interpreted, and the few facts about them that the
 * certificate and key readers share. Interpreting them with the JDK (certificate and key
 * factories) rather than with Bouncy Castle's {@code PEMParser} and {@code JcaPEMKeyConverter}
 * keeps Bouncy Castle's curve tables and post-quantum algorithms out of the native executable;
 * reading them without Bouncy Castle at all keeps its signed jar out of the JVM's start.
 */
public final class PemBlocks {

    /** The JDK's names of the key algorithms the webhook and the toolkit read, by their OID. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.2.840.10040.4.1", "DSA",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /**
     * One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...), the RFC 1421 headers
     * OpenSSL writes before an encrypted key ({@code Proc-Type}, {@code DEK-Info}), and the DER it holds.
     */
    public record Block(String type, Map<String, String> headers, byte[] content) {

        public Block {
            headers = Map.copyOf(headers);
        }
    }

    private PemBlocks() {
    }

    /**
     * Every block of {@code file} in file order; text outside blocks is ignored, as openssl does.
     *
     * @param label how messages name the file (a flag and the path, say)
     * @throws IllegalArgumentException in one line, naming {@code label}, when the file is missing,
     *     unreadable, a block is not closed by its own END line or is not valid base64
     */
    public static List<Block> read(Path file, String label) {
        return parse(bytes(file, label), label);
    }

    /**
     * The bytes of {@code file}, for a caller that keeps them (to notice a rotation) and parses them
     * with {@link #parse}.
     *
     * @throws IllegalArgumentException in one line, naming {@code label}, when the file is missing or unreadable
     */
    public static byte[] bytes(Path file, String label) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(label + ": file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(label + ": not a regular file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(label + ": cannot be read (" + PemFileWriter.describe(e) + ")", e);
        }
    }

    /**
     * Every block of {@code pem} in order, as {@link #read} gives a file's.
     *
     * @throws IllegalArgumentException in one line, naming {@code label}, when a block is not closed
     *     by its own END line or is not valid base64
     */
    public static List<Block> parse(byte[] pem, String label) {
        List<Block> blocks = new ArrayList<>();
        String type = null;
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder base64 = new StringBuilder();
        // ISO-8859-1: every byte is a character, so no input is malformed; lines() ends lines at
        // \n, \r and \r\n, as BufferedReader does.
        for (String line : (Iterable<String>) new String(pem, StandardCharsets.ISO_8859_1).lines()::iterator) {
            line = line.strip();
            if (type == null) {
                if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + DASHES.length()) {
                    type = line.substring(BEGIN.length(), line.length() - DASHES.length());
                }
            } else if (line.startsWith(END)) {
                if (!line.equals(END + type + DASHES)) {
                    throw new IllegalArgumentException(label + ": not valid PEM (\"" + BEGIN + type + DASHES
                            + "\" is closed by \"" + line + "\")");
                }
                blocks.add(new Block(type, headers, decode(base64, type, label)));
                type = null;
                headers = new LinkedHashMap<>();
                base64.setLength(0);
            } else if (line.indexOf(':') >= 0 && base64.isEmpty()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            } else {
                base64.append(line);
            }
        }
        if (type != null) {
            throw new IllegalArgumentException(label + ": not valid PEM (no \"" + END + type + DASHES + "\" line)");
        }
        return blocks;
    }

    private static byte[] decode(CharSequence base64, String type, String label) {
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw invalid(label, "not valid PEM", new IllegalArgumentException("the \"" + type
                    + "\" block is not base64: " + e.getMessage(), e));
        }
    }

    /** An encrypted key: PKCS#8's own block, or OpenSSL's traditional {@code Proc-Type: 4,ENCRYPTED}. */
    public static boolean encrypted(Block block) {
        return block.type().equals("ENCRYPTED PRIVATE KEY") || block.headers().entrySet().stream()
                .anyMatch(header -> header.getKey().equalsIgnoreCase("Proc-Type")
                        && header.getValue().contains("ENCRYPTED"));
    }

    /** A certificate block, under its usual label or OpenSSL's older {@code X509 CERTIFICATE}. */
    public static boolean isCertificate(Block block) {
        return block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE");
    }

    /** The X.509 certificate a DER encoding holds, decoded by the JDK. */
    public static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /**
     * The JDK's name of a key algorithm (for {@code KeyFactory}), by its OID in dotted form, or
     * {@code null} when not one of ours.
     */
    public static String keyAlgorithm(String oid) {
        return KEY_ALGORITHMS.get(oid);
    }

    /** {@code label: what (the cause's message)}, in one line. */
    public static IllegalArgumentException invalid(String label, String what, Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IllegalArgumentException(label + ": " + what + " (" + detail.replaceAll("\\s+", " ").trim() + ")",
                cause);
    }
}
