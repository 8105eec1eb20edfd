package io.podidentity.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /healthz} (the process answers) and {@code /readyz} (it can serve admissions correctly). */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class HealthResource {

    private final Readiness readiness;

    public HealthResource(Readiness readiness) {
        this.readiness = readiness;
    }

    @GET
    @Path("healthz")
    public String healthz() {
        return "ok";
    }

    @GET
    @Path("readyz")
    public Response readyz() {
        if (readiness.isShuttingDown()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity("not ready: shutting down\n").build();
        }
        List<String> unmet = readiness.unmet();
        if (unmet.isEmpty()) {
            return Response.ok("ok").build();
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity("not ready: waiting for " + String.join(", ", unmet) + "\n")
                .build();
    }
}
