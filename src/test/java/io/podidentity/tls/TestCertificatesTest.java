package io.podidentity.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.podidentity.testing.HttpsTestServer;
import io.podidentity.testing.TlsContexts;
import io.podidentity.tls.TestCertificates.KeyFormat;
import io.podidentity.tls.TestCertificates.TestPki;

class TestCertificatesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void aClientTrustingTheCaAcceptsTheServerCertificateByNameAndAddress(KeyFormat format) throws Exception {
        TestPki pki = TestCertificates.create(dir, format);
        SSLContext trustingCa = TlsContexts.trusting(pki.caCertificate());

        try (HttpsTestServer server = HttpsTestServer.start(pki.certificate(), pki.privateKey())) {
            assertEquals(204, server.get("localhost", trustingCa));
            assertEquals(204, server.get("127.0.0.1", trustingCa));
        }
    }

    @Test
    void aClientTrustingTheCaRejectsAServerFromAnotherCa() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        TestPki stranger = TestCertificates.create(dir.resolve("stranger"), KeyFormat.EC_PKCS8);

        try (HttpsTestServer server = HttpsTestServer.start(stranger.certificate(), stranger.privateKey())) {
            assertThrows(SSLHandshakeException.class, () -> server.get("localhost", TlsContexts.trusting(pki.caCertificate())));
        }
    }

    @Test
    void rotateReplacesServerCertificateAndKeyUnderTheSameCa() throws IOException {
        TestPki first = TestCertificates.create(dir, KeyFormat.RSA_PKCS8);
        String ca = Files.readString(first.caCertificate());
        String key = Files.readString(first.privateKey());

        TestPki second = first.rotate();

        assertNotEquals(first.serial(), second.serial());
        assertEquals(second.serial(), PemFiles.readCertificates(second.certificate()).get(0).getSerialNumber());
        assertEquals(ca, Files.readString(second.caCertificate()));
        assertNotEquals(key, Files.readString(second.privateKey()));
        assertDoesNotThrow(() -> PemFiles.readKeyPair(second.certificate(), second.privateKey()));
        assertDoesNotThrow(() -> second.leafCertificate()
                .verify(PemFiles.readCertificates(first.caCertificate()).get(0).getPublicKey()));
    }
}
