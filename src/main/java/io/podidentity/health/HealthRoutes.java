package io.podidentity.health;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (it can serve admissions correctly) on
 * the webhook's port, as plain Vert.x routes: two fixed answers need no REST framework, and without
 * one the native executable is smaller (docs/native.md).
 */
@Singleton
public class HealthRoutes {

    private final Readiness readiness;

    public HealthRoutes(Readiness readiness) {
        this.readiness = readiness;
    }

    void routes(@Observes Router router) {
        router.get("/healthz").handler(ctx -> answer(ctx, 200, "ok"));
        router.get("/readyz").handler(this::readyz);
    }

    private void readyz(RoutingContext ctx) {
        readiness.problem().ifPresentOrElse(
                problem -> answer(ctx, 503, "not ready: " + problem + "\n"),
                () -> answer(ctx, 200, "ok"));
    }

    private static void answer(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain;charset=UTF-8").end(body);
    }
}
