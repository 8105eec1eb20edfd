package io.podidentity.cli;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.podidentity.tls.PemFiles;
import io.podidentity.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A static HTTPS host for tests, like S3 or GitHub Pages serving an issuer: documents by path,
 * 404 otherwise. It presents the chain leaf, CA (from {@link TestCertificates}) and can stand in
 * for an API server too (a kubeconfig pointing at it is in {@link #kubeconfig(Path)}).
 */
final class StaticHttpsServer implements AutoCloseable {

    private static final char[] NO_PASSWORD = new char[0];

    final Map<String, String> documents = new ConcurrentHashMap<>();
    final Path caFile;
    final X509Certificate ca;
    private final HttpsServer server;

    StaticHttpsServer(Path dir) throws Exception {
        TestCertificates.TestPki pki = TestCertificates.create(dir, TestCertificates.KeyFormat.RSA_PKCS8);
        caFile = pki.caCertificate();
        ca = PemFiles.readCertificates(caFile).get(0);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", PemFiles.readPrivateKey(pki.privateKey()), NO_PASSWORD,
                new X509Certificate[] {pki.leafCertificate(), ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, NO_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            String body = documents.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** {@code https://localhost:<port>} */
    String url() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** A kubeconfig whose cluster is this server, trusting its CA. */
    Path kubeconfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: test
                  user:
                    token: test-token
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: test
                current-context: test
                """.formatted(url(), caFile.toAbsolutePath()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
