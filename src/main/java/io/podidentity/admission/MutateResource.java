package io.podidentity.admission;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code POST /mutate}: checks the content type, then delegates to {@link AdmissionHandler}. */
@Path("/mutate")
public class MutateResource {

    private final AdmissionHandler handler;

    public MutateResource(AdmissionHandler handler) {
        this.handler = handler;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> mutate(@HeaderParam("Content-Type") String contentType, byte[] body) {
        if (!isJson(contentType)) {
            return CompletableFuture.completedFuture(Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("invalid Content-Type " + (contentType == null ? "(none)" : "\"" + contentType + "\"")
                            + ", expected application/json\n")
                    .build());
        }
        return handler.handle(body)
                .thenApply(answer -> Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** {@code application/json}, optionally with parameters such as {@code charset=utf-8}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }
}
