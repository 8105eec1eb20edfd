package io.podidentity.cli;

import com.sun.net.httpserver.HttpExchange;
import io.podidentity.testing.HttpsTestServer;
import io.podidentity.testing.TlsContexts;
import io.podidentity.tls.PemFiles;
import io.podidentity.tls.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A static HTTPS host for tests, like S3 or GitHub Pages serving an issuer: documents by path,
 * 404 otherwise. It presents the chain leaf, CA (from {@link TestCertificates}) and can stand in
 * for an API server too (a kubeconfig pointing at it is in {@link #kubeconfig(Path)}).
 */
final class StaticHttpsServer implements AutoCloseable {

    final Map<String, String> documents = new ConcurrentHashMap<>();
    final Path caFile;
    final X509Certificate ca;
    private final HttpsTestServer server;

    StaticHttpsServer(Path dir) {
        TestCertificates.TestPki pki = TestCertificates.create(dir, TestCertificates.KeyFormat.RSA_PKCS8);
        caFile = pki.caCertificate();
        ca = PemFiles.readCertificates(caFile).get(0);
        server = HttpsTestServer.start(
                TlsContexts.serving(PemFiles.readPrivateKey(pki.privateKey()), pki.leafCertificate(), ca), this::answer);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = documents.get(exchange.getRequestURI().getPath());
        byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** {@code https://localhost:<port>} */
    String url() {
        return server.url();
    }

    int port() {
        return server.port();
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
        server.close();
    }
}
