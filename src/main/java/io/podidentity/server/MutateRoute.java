package io.podidentity.server;

import io.podidentity.admission.AdmissionHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@code POST /mutate} as a plain Vert.x handler: checks the declared length (413 before reading,
 * the connection kept), the method and content type, reads the
 * body (within the size limit and the {@link BodyBudget}) into one array of its declared length,
 * and hands it to {@link AdmissionHandler}. Every admission goes through here, so it stays on the
 * event loop and off the JAX-RS machinery, which cost half the CPU of an admission
 * (bench/RESULTS.md).
 */
final class MutateRoute {

    private static final Logger LOG = Logger.getLogger(MutateRoute.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final AdmissionHandler handler;
    private final long maxBodyBytes;
    private final BodyBudget budget;
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);

    MutateRoute(AdmissionHandler handler, long maxBodyBytes, BodyBudget budget) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        long declared = declaredLength(request);
        if (declared > maxBodyBytes) {
            // Refused before reading, keeping the connection: kube-apiserver multiplexes many
            // admissions over one HTTP/2 connection, which must survive one oversized request.
            refuseTooLarge(response, request.version(), "request body of " + declared + " bytes");
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.setStatusCode(405).putHeader("Allow", "POST").putHeader("Content-Type", "text/plain")
                    .end("method " + request.method() + " not allowed on /mutate; POST an AdmissionReview\n");
            return;
        }
        String contentType = request.getHeader("Content-Type");
        if (!isJson(contentType)) {
            response.setStatusCode(415).putHeader("Content-Type", "text/plain")
                    .end("invalid Content-Type " + (contentType == null ? "(none)" : "\"" + contentType + "\"")
                            + ", expected application/json\n");
            return;
        }
        long claimed = budget.tryClaim((declared < 0 ? maxBodyBytes : declared) + BodyBudget.PER_REQUEST_BYTES);
        if (claimed < 0) {
            logRefusal();
            // The body is read and dropped before answering: answering first would make the
            // client reset the stream, and enough resets close the HTTP/2 connection (Netty's
            // rapid-reset protection) with every admission on it.
            request.handler(chunk -> { });
            request.endHandler(done -> response.setStatusCode(503).putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "text/plain")
                    .end("the pod identity webhook is overloaded: too many admission bytes in flight; retry\n"));
            request.resume();
            return;
        }
        ctx.addEndHandler(done -> budget.release(claimed));
        new Body(ctx, declared).read();
    }

    /**
     * The body as it arrives, into an array of the declared length (no growing, no second copy);
     * answered once complete, refused once larger than the limit.
     */
    private final class Body {
        private final RoutingContext ctx;
        private byte[] bytes;
        private int length;
        private boolean refused;

        Body(RoutingContext ctx, long declared) {
            this.ctx = ctx;
            this.bytes = new byte[(int) Math.max(0, Math.min(declared, maxBodyBytes))];
        }

        void read() {
            HttpServerRequest request = ctx.request();
            request.handler(this::append);
            request.exceptionHandler(e -> LOG.debugf("admission request body not received: %s", e.getMessage()));
            request.endHandler(done -> complete());
            request.resume();
        }

        private void append(Buffer chunk) {
            if (refused) {
                return;
            }
            long total = (long) length + chunk.length();
            if (total > maxBodyBytes) {
                // A body without a declared length (a declared one is refused before reading).
                refused = true;
                refuseTooLarge(ctx.response(), ctx.request().version(), "request body");
                return;
            }
            if (total > bytes.length) {
                // More than declared (or no declared length): grow.
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxBodyBytes, Math.max(total, 2L * bytes.length)));
            }
            chunk.getBytes(0, chunk.length(), bytes, length);
            length = (int) total;
        }

        private void complete() {
            if (refused) {
                return;
            }
            byte[] review = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
            handler.handle(review).thenAccept(answer -> ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(answer)));
        }
    }

    /** The Content-Length header's value, or -1 when absent or unreadable. */
    private static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader("Content-Length");
        try {
            return declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** 413; over HTTP/1.1 the connection closes, as the rest of the body will not be read. */
    private void refuseTooLarge(HttpServerResponse response, HttpVersion version, String what) {
        if (version != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
        }
        response.setStatusCode(413).putHeader("Content-Type", "text/plain")
                .end(what + " exceeds the limit of " + maxBodyBytes + " bytes\n");
    }

    /** One line a second at most, with the count: an overload refuses thousands a second. */
    private void logRefusal() {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            LOG.warnf("refused %d admission request(s) with 503 since the last such line: %d bytes of admission requests"
                    + " in memory (the budget is a quarter of the heap, %d bytes)",
                    refusedSinceLog.getAndSet(0), budget.capacity() - budget.available(), budget.capacity());
        }
    }

    /** {@code application/json}, optionally with parameters such as {@code charset=utf-8}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }
}
