package io.podidentity.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The JDK's HTTPS server serving a PEM certificate and key, to prove that files a test produced
 * work in a real handshake with hostname verification, not merely that they parse.
 */
final class HttpsTestServer implements AutoCloseable {

    private static final char[] NO_PASSWORD = new char[0];

    private final HttpsServer server;

    private HttpsTestServer(HttpsServer server) {
        this.server = server;
    }

    /** Listens on an ephemeral port of the address {@code localhost} resolves to, answering 204. */
    static HttpsTestServer start(Path certificate, Path privateKey) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificate);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", PemFiles.readPrivateKey(privateKey), NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, NO_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return new HttpsTestServer(server);
    }

    /** Status of a GET to this server under {@code host}, which must be a name it resolves as. */
    int get(String host, SSLContext trust) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        URI uri = URI.create("https://" + host + ":" + server.getAddress().getPort() + "/");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
