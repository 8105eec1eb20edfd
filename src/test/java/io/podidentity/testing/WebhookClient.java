package io.podidentity.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTPS client that trusts only the test CA, speaking HTTP/2 or HTTP/1.1 as asked, and, when
 * given, only these TLS versions: the webhook's clients in the HTTP tests and the e2e suite.
 */
public final class WebhookClient {

    private final HttpClient http;

    public WebhookClient(Path caCertificate, HttpClient.Version version, String... protocols) {
        SSLContext context = TlsContexts.trusting(caCertificate);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .sslContext(context)
                .version(version)
                .connectTimeout(Duration.ofSeconds(5));
        if (protocols.length > 0) {
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setProtocols(protocols);
            builder.sslParameters(parameters);
        }
        http = builder.build();
    }

    public HttpResponse<String> post(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST without Content-Length (chunked over HTTP/1.1, DATA frames until END_STREAM over HTTP/2). */
    public HttpResponse<String> postUndeclaredLength(String url, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
