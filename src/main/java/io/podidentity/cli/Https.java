package io.podidentity.cli;

import io.podidentity.tls.PemFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** The body of a 200 answer to GET {@code url}. */
    String get(String url) {
        // HTTP/1.1: static hosts rarely speak HTTP/2, and a failed upgrade must not cost a hang.
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            // The request timeout does not cover every stall (a server that never closes a
            // close-delimited body, say), so the whole exchange is bounded as well.
            HttpResponse<String> response = client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("GET " + url + ": " + (cause instanceof IOException io ? describe(io)
                    : String.valueOf(cause.getMessage())), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("GET " + url + ": no complete answer within " + TIMEOUT.toSeconds() * 2 + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GET " + url + ": interrupted", e);
        }
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

    private static String describe(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
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
