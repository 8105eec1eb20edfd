package io.podidentity.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ServiceAccountStore;
import io.podidentity.metrics.WebhookMetrics;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Router additions: upstream's request metrics around {@code /mutate} (every answer counted,
 * including 413 and 415), and the debug handlers behind {@code --enable-debugging-handlers}:
 * {@code /debug/alpha/cache} and {@code .../clear} on the metrics port, {@code /debug/alpha/deny}
 * and {@code /debug/alpha/500} on the webhook port, as upstream has them.
 */
@Singleton
public class HttpRoutes {

    private final WebhookConfig config;
    private final WebhookMetrics metrics;
    private final ServiceAccountStore store;
    private final ConfigMapIdentities configMap;
    private final ObjectMapper json;

    public HttpRoutes(WebhookConfig config, WebhookMetrics metrics, ServiceAccountStore store,
            ConfigMapIdentities configMap, ObjectMapper json) {
        this.config = config;
        this.metrics = metrics;
        this.store = store;
        this.configMap = configMap;
        this.json = json;
    }

    void webhookPort(@Observes Router router) {
        router.route("/mutate").order(Integer.MIN_VALUE).handler(this::instrument);
        router.route("/mutate").order(Integer.MIN_VALUE + 1).handler(this::limitBodySize);
        if (config.enableDebuggingHandlers()) {
            router.route("/debug/alpha/*").order(Integer.MIN_VALUE).handler(this::instrument);
            router.route("/debug/alpha/deny").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end("{\"response\":{\"allowed\":false,\"status\":{\"message\":\"Test deny message\"}}}"));
            router.route("/debug/alpha/500").handler(ctx -> ctx.response().setStatusCode(500).end("test error\n"));
        }
    }

    void metricsPort(@Observes ManagementInterface management) {
        if (!config.enableDebuggingHandlers()) {
            return;
        }
        management.router().route(HttpMethod.GET, "/debug/alpha/cache").handler(ctx -> {
            Map<String, Object> dump = new LinkedHashMap<>();
            dump.put("serviceAccounts", store.snapshot());
            dump.put("configMap", configMap.snapshot());
            try {
                ctx.response().putHeader("Content-Type", "application/json")
                        .end(json.writerWithDefaultPrettyPrinter().writeValueAsString(dump));
            } catch (java.io.IOException e) {
                ctx.fail(e);
            }
        });
        management.router().route("/debug/alpha/cache/clear").handler(ctx -> {
            store.clear();
            configMap.clear();
            ctx.response().end("cleared\n");
        });
    }

    /**
     * Answers 413 from the declared length, before reading the body, and keeps the connection:
     * kube-apiserver multiplexes many admissions over one HTTP/2 connection, which must survive
     * one oversized request. (Quarkus' own limit, the backstop for bodies of undeclared length,
     * closes the connection.)
     */
    private void limitBodySize(RoutingContext ctx) {
        String declared = ctx.request().getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length > config.maxRequestBytes()) {
            if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                ctx.response().putHeader("Connection", "close");
            }
            ctx.response().setStatusCode(413).putHeader("Content-Type", "text/plain")
                    .end("request body of " + length + " bytes exceeds the limit of " + config.maxRequestBytes() + " bytes\n");
            return;
        }
        ctx.next();
    }

    private void instrument(RoutingContext ctx) {
        long start = System.nanoTime();
        String verb = ctx.request().method().name();
        String path = ctx.normalizedPath();
        ctx.addEndHandler(done -> metrics.request(verb, path, ctx.response().getStatusCode(), (System.nanoTime() - start) / 1000.0));
        ctx.next();
    }
}
