package io.podidentity.server;

import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * One TLS handshake with the webhook's own HTTPS port as soon as it listens, off the event loop.
 * The first handshake a native executable serves costs about 40 ms more than the next
 * ones (the first key exchange and signature with the serving key, the cipher's and the
 * session's first-time setup); without this, that is paid by the API server's first admission
 * after every start, while the informer is still listing. The client trusts exactly the
 * certificate being served, and sends nothing after the handshake, so no request is counted.
 */
@Singleton
public class TlsWarmUp {

    private static final Logger LOG = Logger.getLogger(TlsWarmUp.class);
    private static final int TIMEOUT_MILLIS = 2000;

    private final ServingCertificate certificate;

    public TlsWarmUp(ServingCertificate certificate) {
        this.certificate = certificate;
    }

    /** Quarkus fires this asynchronously, on a worker thread, once the HTTPS server listens. */
    void started(@ObservesAsync HttpsServerStart event) {
        X509Certificate served = certificate.served();
        if (served == null) {
            LOG.debug("TLS warm-up skipped: no certificate served yet");
            return;
        }
        handshake(loopbackTo(event.options().getHost(), event.options().getPort()), served);
    }

    /** The listening address itself, or loopback when the server listens on every address. */
    static InetSocketAddress loopbackTo(String host, int port) {
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        return new InetSocketAddress(host, port);
    }

    /** True when the handshake completed; a failure is only logged (at debug). */
    static boolean handshake(InetSocketAddress address, X509Certificate served) {
        long started = System.nanoTime();
        try {
            // The served leaf as the only trust anchor: any other certificate fails the handshake.
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("served", served);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(address, TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
            }
            LOG.debugf("TLS warm-up handshake with %s: %d ms", address, (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Only a lost head start: real clients connect and are answered as without it.
            LOG.debugf("TLS warm-up handshake with %s failed: %s", address, e.toString());
            return false;
        }
    }
}
