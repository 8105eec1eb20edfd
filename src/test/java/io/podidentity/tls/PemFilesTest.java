package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.podidentity.tls.TestCertificates.KeyFormat;
import io.podidentity.tls.TestCertificates.TestPki;

class PemFilesTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    /** The JDK lacks the OpenSSL key derivation and padding names; only the encrypting tests need BC's. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void acceptsMatchingKeyInEverySupportedFormat(KeyFormat format) {
        TestPki pki = TestCertificates.create(dir, format);

        assertDoesNotThrow(() -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void readsKeyOfTheAlgorithmItWasWrittenWith(KeyFormat format) {
        TestPki pki = TestCertificates.create(dir, format);

        PrivateKey key = PemFiles.readPrivateKey(pki.privateKey());

        assertEquals(format.name().startsWith("RSA") ? "RSA" : "EC", key.getAlgorithm());
    }

    @Test
    void readsChainInFileOrderWithLeafFirst() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Path chain = dir.resolve("chain.crt");
        Files.writeString(chain, Files.readString(pki.certificate()) + Files.readString(pki.caCertificate()));

        List<X509Certificate> certificates = PemFiles.readCertificates(chain);

        assertEquals(2, certificates.size());
        assertEquals(pki.serial(), certificates.get(0).getSerialNumber());
        PemFiles.KeyPair pair = PemFiles.readKeyPair(chain, pki.privateKey());
        assertEquals(certificates, pair.chain());
        assertEquals(PemFiles.readPrivateKey(pki.privateKey()), pair.privateKey());
    }

    @Test
    void contentsParseTheBytesAsReadNotTheFilesAsTheyAreLater() {
        TestPki first = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        PemFiles.Contents read = PemFiles.Contents.read(first.certificate(), first.privateKey());
        assertEquals(read, PemFiles.Contents.read(first.certificate(), first.privateKey()));

        TestPki second = first.rotate();

        assertEquals(first.serial(), read.keyPair().chain().get(0).getSerialNumber());
        PemFiles.Contents now = PemFiles.Contents.read(second.certificate(), second.privateKey());
        assertNotEquals(read, now);
        assertEquals(second.serial(), now.keyPair().chain().get(0).getSerialNumber());
    }

    @Test
    void findsKeyInAFileThatAlsoHoldsTheCertificate() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.RSA_PKCS1);
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(pki.certificate()) + Files.readString(pki.privateKey()));

        assertDoesNotThrow(() -> PemFiles.readKeyPair(combined, combined));
    }

    @Test
    void rejectsMissingCertificateFile() {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Path missing = dir.resolve("missing.crt");

        assertMessage("--tls-cert " + missing + ": file does not exist",
                () -> PemFiles.readKeyPair(missing, pki.privateKey()));
    }

    @Test
    void rejectsMissingKeyFile() {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Path missing = dir.resolve("missing.key");

        assertMessage("--tls-key " + missing + ": file does not exist",
                () -> PemFiles.readKeyPair(pki.certificate(), missing));
    }

    @Test
    void rejectsDirectoryGivenAsFile() {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);

        assertMessage("--tls-key " + dir + ": not a regular file",
                () -> PemFiles.readKeyPair(pki.certificate(), dir));
    }

    @Test
    void rejectsKeyFileWithoutPem() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Files.writeString(pki.privateKey(), "this is not a key\n");

        assertMessage("--tls-key " + pki.privateKey()
                + ": no private key found (expected PEM \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")",
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void rejectsCertificateFileWithoutCertificates() {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);

        // The classic mix-up: both flags pointing at the key.
        assertMessage("--tls-cert " + pki.privateKey() + ": no certificate found (expected PEM \"CERTIFICATE\")",
                () -> PemFiles.readKeyPair(pki.privateKey(), pki.privateKey()));
    }

    @Test
    void rejectsCorruptBlockNamingTheFile() throws IOException {
        assertCertificateBlockRejected("not*base64!", ": not valid PEM (");
    }

    @Test
    void rejectsKeyOfAnotherCertificate() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        TestPki other = TestCertificates.create(dir.resolve("other"), KeyFormat.EC_PKCS8);

        assertMessage("--tls-key " + other.privateKey() + " does not match the certificate in --tls-cert "
                + pki.certificate(), () -> PemFiles.readKeyPair(pki.certificate(), other.privateKey()));
    }

    @Test
    void rejectsRsaKeyForAnEcCertificate() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_SEC1);
        TestPki other = TestCertificates.create(dir.resolve("other"), KeyFormat.RSA_PKCS1);

        assertMessage("--tls-key " + other.privateKey() + " does not match the certificate in --tls-cert "
                + pki.certificate(), () -> PemFiles.readKeyPair(pki.certificate(), other.privateKey()));
    }

    @Test
    void rejectsKeyEncryptedTheOpensslTraditionalWay() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.RSA_PKCS1);
        PrivateKey key = PemFiles.readPrivateKey(pki.privateKey());
        writePem(pki.privateKey(), new JcaMiscPEMGenerator(key,
                new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(PASSWORD)));

        assertMessage("--tls-key " + pki.privateKey() + " is encrypted; an unencrypted key is required",
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void rejectsEncryptedPkcs8Key() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        PrivateKey key = PemFiles.readPrivateKey(pki.privateKey());
        writePem(pki.privateKey(), new JcaPKCS8Generator(key,
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                        .setPassword(PASSWORD).build()));
        assertTrue(Files.readString(pki.privateKey()).contains("BEGIN ENCRYPTED PRIVATE KEY"));

        assertMessage("--tls-key " + pki.privateKey() + " is encrypted; an unencrypted key is required",
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void rejectsSec1KeyWithoutANamedCurve() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        // SEC1 with neither the optional parameters nor an EC PARAMETERS block before it.
        ECPrivateKey key = (ECPrivateKey) PemFiles.readPrivateKey(pki.privateKey());
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS()).getEncoded();
        writePem(pki.privateKey(), new PemObject("EC PRIVATE KEY", sec1));

        assertMessage("--tls-key " + pki.privateKey() + ": private key cannot be used (an EC key needs a named curve, "
                + "in the key or in an \"EC PARAMETERS\" block before it)",
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void readsEd25519KeyAndNamesAnUnknownAlgorithm() throws Exception {
        Path key = dir.resolve("ed25519.key");
        writePem(key, new PemObject("PRIVATE KEY",
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded()));
        // "EdDSA" up to JDK 21, "Ed25519" after.
        assertTrue(List.of("EdDSA", "Ed25519").contains(PemFiles.readPrivateKey(key).getAlgorithm()));

        // X25519 is a key-agreement key: no TLS server certificate carries one.
        writePem(key, new PemObject("PRIVATE KEY",
                KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate().getEncoded()));
        assertMessage(key + ": private key cannot be used (key algorithm 1.3.101.110 is not RSA, EC, Ed25519, Ed448 or DSA)",
                () -> PemFiles.readPrivateKey(key));
    }

    @Test
    void readsCertificatesUnderTheirOldLabelToo() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Path old = dir.resolve("old.crt");
        Files.writeString(old, Files.readString(pki.certificate()).replace("CERTIFICATE-----", "X509 CERTIFICATE-----"));

        assertEquals(pki.serial(), PemFiles.readCertificates(old).get(0).getSerialNumber());
    }

    @Test
    void namesACertificateBlockThatIsNotACertificate() throws IOException {
        assertCertificateBlockRejected("AAECAwQ=", ": certificate 1 cannot be read (");
    }

    /** A CERTIFICATE block holding {@code base64} is refused in one line naming the flag, the file and {@code reason}. */
    private void assertCertificateBlockRejected(String base64, String reason) throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        Files.writeString(pki.certificate(), "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
        assertTrue(e.getMessage().startsWith("--tls-cert " + pki.certificate() + reason), e.getMessage());
        assertOneLine(e.getMessage());
    }

    @Test
    void aBlockMustBeClosedByItsOwnEndLine() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.RSA_PKCS8);
        String key = Files.readString(pki.privateKey());
        Files.writeString(pki.privateKey(), key.replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"));
        assertMessage("--tls-key " + pki.privateKey() + ": not valid PEM (\"-----BEGIN PRIVATE KEY-----\" is closed by "
                + "\"-----END RSA PRIVATE KEY-----\")", () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));

        Files.writeString(pki.privateKey(), key.substring(0, key.indexOf("-----END")));
        assertMessage("--tls-key " + pki.privateKey() + ": not valid PEM (no \"-----END PRIVATE KEY-----\" line)",
                () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void readsBlocksWithCrlfLinesHeadersAndTextAround() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_SEC1);
        Files.writeString(pki.privateKey(), "Bag Attributes\r\n    localKeyID: 01\r\n"
                + Files.readString(pki.privateKey()).replace("\n", "\r\n") + "trailing text\r\n");

        assertDoesNotThrow(() -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    @Test
    void namesTheKeyBlockWhoseDerIsBroken() throws IOException {
        TestPki pki = TestCertificates.create(dir, KeyFormat.RSA_PKCS1);
        // A SEQUENCE announcing 300 bytes, holding 2.
        Files.writeString(pki.privateKey(), "-----BEGIN RSA PRIVATE KEY-----\nMIIBLAIBAA==\n-----END RSA PRIVATE KEY-----\n");
        assertMessage("--tls-key " + pki.privateKey() + ": not valid PEM (the \"RSA PRIVATE KEY\" block: truncated: "
                + "300 bytes announced, 3 present)", () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));

        Files.writeString(pki.privateKey(), "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n");
        assertMessage("--tls-key " + pki.privateKey() + ": not valid PEM (the \"EC PRIVATE KEY\" block: element 2 of "
                + "the structure is not OCTET STRING)", () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));

        Files.writeString(pki.privateKey(), "-----BEGIN PRIVATE KEY-----\nBAA=\n-----END PRIVATE KEY-----\n");
        assertMessage("--tls-key " + pki.privateKey() + ": not valid PEM (the \"PRIVATE KEY\" block: not a DER "
                + "SEQUENCE)", () -> PemFiles.readKeyPair(pki.certificate(), pki.privateKey()));
    }

    /**
     * The serving key pair is read at every start and reload. On the JVM each class of Bouncy
     * Castle's signed jar is checked against the jar's signature as it loads, so the reader stays
     * off it: a fresh JVM reads a pair in each key format and loads no Bouncy Castle class.
     */
    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void readingAKeyPairLoadsNoBouncyCastleClass(KeyFormat format) throws Exception {
        TestPki pki = TestCertificates.create(dir, format);
        Path log = dir.resolve("classes.log");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                KeyPairProbe.class.getName(), pki.certificate().toString(), pki.privateKey().toString())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertEquals(0, probe.waitFor(), output);
        assertEquals("read", output.strip());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(line -> line.contains(" io.podidentity.tls.Der ")), "the probe ran");
        assertEquals(List.of(), loaded.stream().filter(line -> line.contains("org.bouncycastle")).toList());
    }

    /** The child JVM of {@link #readingAKeyPairLoadsNoBouncyCastleClass}. */
    static final class KeyPairProbe {
        public static void main(String[] args) {
            PemFiles.readKeyPair(Path.of(args[0]), Path.of(args[1]));
            System.out.println("read");
        }
    }

    @Test
    void helpersNameTheFileWithoutAFlag() {
        Path missing = dir.resolve("missing.pem");

        assertMessage(missing + ": file does not exist", () -> PemFiles.readCertificates(missing));
        assertMessage(missing + ": file does not exist", () -> PemFiles.readPrivateKey(missing));
    }

    private static void writePem(Path file, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        }
        Files.writeString(file, text.toString());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
        assertOneLine(e.getMessage());
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "spans lines: " + message);
    }
}
