package io.podidentity.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HTTPS server on an ephemeral port of the address {@code localhost} resolves to: to
 * prove that certificate files work in a real handshake with host-name verification, not merely
 * that they parse, and to stand in for the HTTPS hosts a command talks to.
 */
public final class HttpsTestServer implements AutoCloseable {

    private final HttpsServer server;

    private HttpsTestServer(HttpsServer server) {
        this.server = server;
    }

    /** Presents the PEM {@code certificate} with {@code privateKey} and answers every request 204. */
    public static HttpsTestServer start(Path certificate, Path privateKey) {
        return start(TlsContexts.serving(certificate, privateKey), exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
    }

    /** Serves with {@code context} (see {@link TlsContexts#serving}), every path going to {@code handler}. */
    public static HttpsTestServer start(SSLContext context, HttpHandler handler) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/", handler);
            server.start();
            return new HttpsTestServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an HTTPS server on localhost", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:<port>} */
    public String url() {
        return "https://localhost:" + port();
    }

    /** Status of a GET of {@code /} under {@code host}, which must be a name this server resolves as. */
    public int get(String host, SSLContext trust) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        URI uri = URI.create("https://" + host + ":" + port() + "/");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
