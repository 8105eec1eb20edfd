package io.podidentity.cli;

import io.podidentity.tls.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS as the toolkit needs it: GET a document, or look at the certificate chain a host
 * presents. Trusts the JVM's CAs, or only those of {@code --ca FILE} when given (a private CA,
 * or tests). Failures are one line naming the URL.
 */
final class Https {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final SSLContext context;

    private Https(SSLContext context) {
        this.context = context;
    }

    /** @param ca PEM CA certificates to trust instead of the JVM's, or {@code null} */
    static Https trusting(Path ca) {
        if (ca == null) {
            try {
                return new Https(SSLContext.getDefault());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no TLS: " + e.getMessage(), e);
            }
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : PemFiles.readCertificates(ca)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new Https(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("--ca " + ca + ": " + e.getMessage(), e);
        }
    }

    /** The body of a 200 answer to GET {@code url}, redirects followed. */
    String get(String url) {
        // HttpURLConnection, not java.net.http: the one client the webhook has no other use for
        // would add about 1.8 MB to the native executable (docs/native.md). HTTP/1.1 either way.
        long deadline = System.nanoTime() + 2 * TIMEOUT.toNanos();
        HttpURLConnection connection = null;
        try {
            URLConnection opened = URI.create(url).toURL().openConnection();
            if (!(opened instanceof HttpURLConnection http)) {
                throw new IllegalStateException("GET " + url + ": not an http(s) URL");
            }
            connection = http;
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(context.getSocketFactory());
            }
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setInstanceFollowRedirects(true);
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IllegalStateException("GET " + url + ": HTTP " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                return body(in, url, deadline);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("GET " + url + ": " + describe(e), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * The body, bounded in size and, across reads, in time: the read timeout alone lets a server
     * that sends a byte now and then (or never closes a close-delimited body) hold on for ever.
     */
    private static String body(InputStream in, String url, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            body.write(buffer, 0, n);
            if (body.size() > MAX_BODY_BYTES) {
                throw new IllegalStateException("GET " + url + ": the answer is larger than " + MAX_BODY_BYTES / 1024
                        + " KiB; an OIDC document is a few KiB");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET " + url + ": no complete answer within " + TIMEOUT.toSeconds() * 2 + "s");
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** The chain {@code host:port} presents in a TLS handshake, leaf first, after trust and hostname checks. */
    List<X509Certificate> presentedChain(String host, int port) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.matches("[0-9.]+|.*:.*")) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : socket.getSession().getPeerCertificates()) {
                chain.add((X509Certificate) certificate);
            }
            return chain;
        } catch (IOException e) {
            throw new IllegalStateException(host + ":" + port + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof ConnectException || e instanceof SocketTimeoutException) {
            return "cannot connect (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage() + " (a private CA? pass --ca FILE)";
        }
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
