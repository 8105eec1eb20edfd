package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;

import io.podidentity.testing.HttpsTestServer;
import io.podidentity.testing.TlsContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {

    private static final List<String> DNS = List.of("localhost", "pod-identity-webhook.default.svc");
    private static final List<String> IPS = List.of("127.0.0.1", "::1");
    private static final Duration YEAR = Duration.ofDays(365);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path tmp;

    @Test
    void writesCaCertificateServerCertificateAndPkcs8KeyIntoTheDirectory() throws IOException {
        Path dir = tmp.resolve("certs");

        GeneratedCertificate generated = SelfSignedCertificates.generate(dir, DNS, IPS, YEAR);

        assertEquals(new GeneratedCertificate(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"), false),
                generated);
        assertTrue(Files.readString(generated.caCertificate()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(generated.certificate()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(generated.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "only the three files, no CA key or leftovers");
        }
    }

    @Test
    void makesCaThatMaySignCertificatesOnly() {
        X509Certificate ca = ca(SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR));

        assertEquals("CN=pod-identity-webhook local CA", ca.getSubjectX500Principal().getName());
        assertTrue(ca.getBasicConstraints() >= 0, "CA:true");
        assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
        assertArrayEquals(new boolean[] { false, false, false, false, false, true, true, false, false },
                ca.getKeyUsage(), "keyCertSign and cRLSign");
    }

    @Test
    void makesServerCertificateThatChainsToTheCa() throws Exception {
        GeneratedCertificate generated = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        X509Certificate leaf = leaf(generated);

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca(generated), null)));
        parameters.setRevocationEnabled(false);
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));

        assertDoesNotThrow(() -> CertPathValidator.getInstance("PKIX").validate(path, parameters));
    }

    @Test
    void makesServerCertificateForEveryRequestedNameAndServerAuthOnly() throws Exception {
        X509Certificate leaf = leaf(SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR));

        assertEquals("CN=localhost", leaf.getSubjectX500Principal().getName());
        assertEquals(-1, leaf.getBasicConstraints(), "CA:false");
        assertEquals(List.of(List.of(2, "localhost"), List.of(2, "pod-identity-webhook.default.svc"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(List.of(SERVER_AUTH), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getKeyUsage()[0] && leaf.getKeyUsage()[2], "digitalSignature and keyEncipherment");
        assertTrue(leaf.getNonCriticalExtensionOIDs().containsAll(Set.of("2.5.29.14", "2.5.29.35")),
                "subject and authority key identifiers");
    }

    @Test
    void usesP256KeysPositive128BitSerialsAndBackdatesFiveMinutes() {
        Instant before = Instant.now();
        GeneratedCertificate generated = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        X509Certificate leaf = leaf(generated);
        X509Certificate ca = ca(generated);

        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals("EC", leaf.getPublicKey().getAlgorithm());
        for (BigInteger serial : List.of(leaf.getSerialNumber(), ca.getSerialNumber())) {
            assertEquals(1, serial.signum());
            assertTrue(serial.bitLength() <= 128, serial.toString(16));
        }
        assertNotEquals(ca.getSerialNumber(), leaf.getSerialNumber());
        Instant notBefore = leaf.getNotBefore().toInstant();
        assertTrue(!notBefore.isAfter(before.minus(Duration.ofMinutes(5)))
                && notBefore.isAfter(before.minus(Duration.ofMinutes(6))), notBefore::toString);
    }

    @Test
    void writesKeyThatMatchesTheServerCertificate() {
        GeneratedCertificate generated = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);

        assertDoesNotThrow(() -> PemFiles.readKeyPair(generated.certificate(), generated.privateKey()));
    }

    @Test
    void keepsKeyInOwnerOnlyFileInsideOwnerOnlyDirectory() throws IOException {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = tmp.resolve("nested/certs");

        GeneratedCertificate generated = SelfSignedCertificates.generate(dir, DNS, IPS, YEAR);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.privateKey())));
    }

    @Test
    void reusesFilesThatAreStillGood() throws IOException {
        GeneratedCertificate first = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        String ca = Files.readString(first.caCertificate());
        String key = Files.readString(first.privateKey());

        GeneratedCertificate second = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);

        assertTrue(second.reused());
        assertEquals(ca, Files.readString(second.caCertificate()));
        assertEquals(key, Files.readString(second.privateKey()));
    }

    @Test
    void reusesWhenTheSameNamesAreSpelledDifferentlyOrAreFewer() {
        SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);

        assertTrue(SelfSignedCertificates.generate(tmp, List.of("LOCALHOST"), List.of("0:0:0:0:0:0:0:1"), YEAR).reused());
    }

    @Test
    void regeneratesEverythingWhenARequestedNameIsMissing() throws IOException {
        GeneratedCertificate first = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        String ca = Files.readString(first.caCertificate());

        GeneratedCertificate second = SelfSignedCertificates.generate(tmp, List.of("localhost", "host.docker.internal"),
                IPS, YEAR);

        assertFalse(second.reused());
        assertNotEquals(ca, Files.readString(second.caCertificate()));
        assertTrue(new ServerNames(List.of("host.docker.internal"), List.of()).coveredBy(leaf(second)));
    }

    @Test
    void regeneratesWhenTheIpAddressIsMissing() {
        SelfSignedCertificates.generate(tmp, DNS, List.of("127.0.0.1"), YEAR);

        assertFalse(SelfSignedCertificates.generate(tmp, DNS, List.of("127.0.0.1", "10.0.0.7"), YEAR).reused());
    }

    @Test
    void regeneratesWhenTheServerCertificateExpiresWithinADay() {
        SelfSignedCertificates.generate(tmp, DNS, IPS, Duration.ofHours(23));

        GeneratedCertificate second = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);

        assertFalse(second.reused());
        assertTrue(leaf(second).getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(300))));
    }

    @Test
    void regeneratesWhenTheKeyFileIsDamaged() throws IOException {
        GeneratedCertificate first = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        Files.writeString(first.privateKey(), "garbage");

        GeneratedCertificate second = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);

        assertFalse(second.reused());
        assertDoesNotThrow(() -> PemFiles.readKeyPair(second.certificate(), second.privateKey()));
    }

    @Test
    void regeneratesWhenTheCaFileIsNotTheIssuer() throws IOException {
        GeneratedCertificate first = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        Path elsewhere = tmp.resolve("elsewhere");
        Files.copy(SelfSignedCertificates.generate(elsewhere, DNS, IPS, YEAR).caCertificate(), first.caCertificate(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertFalse(SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR).reused());
    }

    @Test
    void rejectsRequestWithoutDnsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificates.generate(tmp, List.of(), IPS, YEAR));

        assertEquals("at least one DNS name is required for the serving certificate", e.getMessage());
    }

    @Test
    void rejectsIpAddressThatIsNotALiteral() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificates.generate(tmp, DNS, List.of("localhost"), YEAR));

        assertEquals("not an IP address: \"localhost\"", e.getMessage());
    }

    @Test
    void rejectsNonPositiveValidity() {
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.generate(tmp, DNS, IPS, Duration.ZERO));
    }

    @Test
    void namesThePathWhenTheDirectoryCannotBeCreated() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "");
        Path dir = file.resolve("certs");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SelfSignedCertificates.generate(dir, DNS, IPS, YEAR));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void servesHttpsThatClientsTrustingOnlyTheGeneratedCaAccept() throws Exception {
        GeneratedCertificate generated = SelfSignedCertificates.generate(tmp, DNS, IPS, YEAR);
        SSLContext trustingCa = TlsContexts.trusting(ca(generated));

        try (HttpsTestServer server = HttpsTestServer.start(generated.certificate(), generated.privateKey())) {
            assertEquals(204, server.get("localhost", trustingCa));
            assertEquals(204, server.get("127.0.0.1", trustingCa));
        }
    }

    @Test
    void defaultDirectoryIsPerUserUnderTheTemporaryDirectory() {
        Path dir = SelfSignedCertificates.defaultDirectory();

        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), dir.getParent());
        assertTrue(dir.getFileName().toString().startsWith("pod-identity-webhook-"), dir::toString);
        assertEquals(dir, SelfSignedCertificates.defaultDirectory());
    }

    private static X509Certificate ca(GeneratedCertificate generated) {
        return PemFiles.readCertificates(generated.caCertificate()).get(0);
    }

    private static X509Certificate leaf(GeneratedCertificate generated) {
        return PemFiles.readCertificates(generated.certificate()).get(0);
    }
}
