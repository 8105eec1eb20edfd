package io.podidentity.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes' answers over HTTP, each state of {@link Readiness} as a kubelet would read it. */
class HealthRoutesTest {

    private final Readiness readiness = new Readiness();
    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new HealthRoutes(readiness).routes(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertAnswer(String path, int status, String body) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), path);
        assertEquals(body, response.body(), path);
        assertEquals("text/plain;charset=UTF-8", response.headers().firstValue("Content-Type").orElse(""), path);
    }

    @Test
    void readyzFollowsTheStartupTheSyncAndTheShutdown() throws Exception {
        assertAnswer("/readyz", 503, "not ready: starting\n");

        AtomicBoolean synced = new AtomicBoolean();
        readiness.require("informer sync", synced::get);
        readiness.require("serving certificate", () -> true);
        assertAnswer("/readyz", 503, "not ready: waiting for informer sync\n");

        synced.set(true);
        assertAnswer("/readyz", 200, "ok");

        readiness.shuttingDown();
        assertAnswer("/readyz", 503, "not ready: shutting down\n");
    }

    @Test
    void healthzAnswersWhateverTheReadiness() throws Exception {
        assertAnswer("/healthz", 200, "ok");
        readiness.shuttingDown();
        assertAnswer("/healthz", 200, "ok");
    }
}
