package io.podidentity.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.admission.AdmissionHandler;
import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.identity.ConfigMapIdentities;
import io.podidentity.identity.ServiceAccountStore;
import io.micrometer.prometheus.PrometheusMeterRegistry;
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
 * Router additions: {@code /mutate} itself ({@link MutateRoute}); upstream's request metrics
 * around it (every answer counted, including 405, 413, 415 and 503); and the debug handlers
 * behind {@code --enable-debugging-handlers}:
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
    private final MutateRoute mutate;
    private final PrometheusMeterRegistry jvmMetrics;

    public HttpRoutes(WebhookConfig config, WebhookMetrics metrics, ServiceAccountStore store,
            ConfigMapIdentities configMap, ObjectMapper json, AdmissionHandler admissions,
            PrometheusMeterRegistry jvmMetrics) {
        this.config = config;
        this.jvmMetrics = jvmMetrics;
        this.metrics = metrics;
        this.store = store;
        this.configMap = configMap;
        this.json = json;
        long maxRequestBytes = config.integer(Flag.MAX_REQUEST_BYTES);
        this.mutate = new MutateRoute(admissions, maxRequestBytes,
                new BodyBudget(BodyBudget.forHeap(Runtime.getRuntime().maxMemory(), maxRequestBytes)));
    }

    void webhookPort(@Observes Router router) {
        router.route("/mutate").order(Integer.MIN_VALUE).handler(this::instrument);
        router.route("/mutate").order(Integer.MIN_VALUE + 1).handler(mutate::handle);
        if (config.bool(Flag.ENABLE_DEBUGGING_HANDLERS)) {
            router.route("/debug/alpha/*").order(Integer.MIN_VALUE).handler(this::instrument);
            router.route("/debug/alpha/deny").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end("{\"response\":{\"allowed\":false,\"status\":{\"message\":\"Test deny message\"}}}"));
            router.route("/debug/alpha/500").handler(ctx -> ctx.response().setStatusCode(500).end("test error\n"));
        }
    }

    void metricsPort(@Observes ManagementInterface management) {
        // Upstream's metrics as its Go client writes them (no _total), then the JVM's and the
        // process's from Micrometer (whose own endpoint is /metrics/jvm).
        management.router().route(HttpMethod.GET, "/metrics").order(Integer.MIN_VALUE).handler(ctx -> {
            StringBuilder text = new StringBuilder(16 * 1024);
            metrics.write(text);
            text.append(jvmMetrics.scrape());
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text.toString());
        });
        if (!config.bool(Flag.ENABLE_DEBUGGING_HANDLERS)) {
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

    private void instrument(RoutingContext ctx) {
        long start = System.nanoTime();
        String verb = ctx.request().method().name();
        String path = ctx.normalizedPath();
        ctx.addEndHandler(done -> metrics.request(verb, path, ctx.response().getStatusCode(), (System.nanoTime() - start) / 1000.0));
        ctx.next();
    }
}
