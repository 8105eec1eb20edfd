package io.podidentity.testing;

import io.podidentity.tls.PemFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Every SSLContext the tests build: a client's that trusts one test CA and nothing else, a
 * server's that presents a PEM certificate and key, and one that reads whatever a server
 * presents without trusting it. Failures are unchecked, since a test cannot go on without one.
 */
public final class TlsContexts {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /** Trusts the first certificate of the PEM file {@code caCertificate} and nothing else. */
    public static SSLContext trusting(Path caCertificate) {
        return trusting(PemFiles.readCertificates(caCertificate).get(0));
    }

    /** Trusts {@code ca} and nothing else, with the JDK's usual checks (host name included, for HTTPS). */
    public static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore trustStore = emptyKeyStore();
            trustStore.setCertificateEntry("test-ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSLContext trusting " + ca.getSubjectX500Principal(), e);
        }
    }

    /** Presents the certificates of the PEM file {@code certificate} (leaf first) with {@code privateKey}'s key. */
    public static SSLContext serving(Path certificate, Path privateKey) {
        return serving(PemFiles.readPrivateKey(privateKey),
                PemFiles.readCertificates(certificate).toArray(X509Certificate[]::new));
    }

    /** Presents {@code chain} (leaf first), proving possession with {@code key}. */
    public static SSLContext serving(PrivateKey key, X509Certificate... chain) {
        try {
            KeyStore keys = emptyKeyStore();
            keys.setKeyEntry("server", key, NO_PASSWORD, chain);
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSLContext serving " + chain[0].getSubjectX500Principal(), e);
        }
    }

    /**
     * Accepts any server certificate, for any name: for reading what a server presents (a replica
     * at its pod address), never for trusting it. An X509ExtendedTrustManager, so that the TLS
     * stack does not wrap it in its own host-name check.
     */
    public static SSLContext trustingAnything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingAnything()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext trusting anything", e);
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static final class TrustingAnything extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
