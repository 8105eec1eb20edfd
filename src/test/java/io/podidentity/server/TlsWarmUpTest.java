package io.podidentity.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podidentity.testing.TlsContexts;
import io.podidentity.tls.TestCertificates;
import io.podidentity.tls.TestCertificates.KeyFormat;
import io.podidentity.tls.TestCertificates.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void completesAHandshakeWithTheServerServingTheCertificate() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        try (SSLServerSocket server = listen(pki)) {
            CompletableFuture<Boolean> serverSide = acceptOne(server);

            assertTrue(TlsWarmUp.handshake(address(server), pki.leafCertificate()));
            assertTrue(serverSide.get(5, TimeUnit.SECONDS), "the server completed the handshake");
        }
    }

    @Test
    void refusesAServerWithAnotherCertificateWithoutThrowing() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        X509Certificate other = TestCertificates.create(dir.resolve("other"), KeyFormat.EC_PKCS8).leafCertificate();
        try (SSLServerSocket server = listen(pki)) {
            CompletableFuture<Boolean> serverSide = acceptOne(server);

            assertFalse(TlsWarmUp.handshake(address(server), other));
            assertFalse(serverSide.get(5, TimeUnit.SECONDS), "the client aborted the handshake");
        }
    }

    @Test
    void nothingListeningIsOnlyAFailedWarmUp() throws Exception {
        TestPki pki = TestCertificates.create(dir, KeyFormat.EC_PKCS8);
        InetSocketAddress closed;
        try (SSLServerSocket server = listen(pki)) {
            closed = address(server);
        }
        assertFalse(TlsWarmUp.handshake(closed, pki.leafCertificate()));
    }

    @Test
    void aWildcardListenerIsReachedOnLoopbackAndASpecificAddressAsItIs() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (String wildcard : new String[] {"0.0.0.0", "::", "[::]", "", null}) {
            assertEquals(new InetSocketAddress(loopback, 8443), TlsWarmUp.loopbackTo(wildcard, 8443), wildcard);
        }
        assertEquals(new InetSocketAddress("127.0.0.1", 8443), TlsWarmUp.loopbackTo("127.0.0.1", 8443));
    }

    private static SSLServerSocket listen(TestPki pki) throws IOException {
        return (SSLServerSocket) TlsContexts.serving(pki.certificate(), pki.privateKey()).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static CompletableFuture<Boolean> acceptOne(SSLServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static InetSocketAddress address(SSLServerSocket server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }
}
