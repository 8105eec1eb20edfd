package io.podidentity.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Upstream's six metrics, with its names, types, help texts, labels and buckets, written in the
 * text format upstream's Go client writes ({@link PrometheusText}):
 * <ul>
 *   <li>{@code http_request_count{verb,path,code}} counter;</li>
 *   <li>{@code http_request_latencies{verb,path}} histogram, microseconds, buckets 125 ms to 8 s;</li>
 *   <li>{@code http_request_duration_microseconds{verb,path}} summary (upstream sets no
 *       quantiles: {@code _sum} and {@code _count});</li>
 *   <li>{@code pod_identity_webhook_pod_count{method}} counter;</li>
 *   <li>{@code pod_identity_webhook_missing_sa_count} counter, listed once it was counted (as a
 *       Go vector without labels is);</li>
 *   <li>{@code pod_identity_webhook_used} gauge.</li>
 * </ul>
 * Recording is a map lookup and a few adders: no lock on the admission path.
 */
public final class WebhookMetrics {

    /** Upstream's histogram buckets: 125 ms doubling to 8 s, in microseconds. */
    private static final double[] LATENCY_BUCKETS_MICROS = {125_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000};

    // Map keys of every request, so equals and hashCode are written out: a record's generated
    // ones go through method handles, which the native executable interprets, looking the fields
    // up by reflection at each call (about 6 % of its CPU at saturation, in perf).

    private record Route(String verb, String path) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && Objects.equals(verb, r.verb) && Objects.equals(path, r.path);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(verb) + Objects.hashCode(path);
        }
    }

    private record Answered(String verb, String path, int code) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Answered a && code == a.code && Objects.equals(verb, a.verb) && Objects.equals(path, a.path);
        }

        @Override
        public int hashCode() {
            return (31 * Objects.hashCode(verb) + Objects.hashCode(path)) * 31 + code;
        }
    }

    /** One histogram series; its sum and count are also the summary's. */
    private static final class Latency {
        final LongAdder[] buckets = new LongAdder[LATENCY_BUCKETS_MICROS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Latency() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(double micros) {
            for (int i = 0; i < buckets.length; i++) {
                if (micros <= LATENCY_BUCKETS_MICROS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(micros);
        }
    }

    private final Map<Answered, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Route, Latency> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> pods = new ConcurrentHashMap<>();
    private final LongAdder missingServiceAccounts = new LongAdder();
    private volatile IntSupplier used = () -> 0;

    /** {@code pod_identity_webhook_used}: 1 once the webhook knows any ServiceAccount. */
    public void registerUsage(IntSupplier used) {
        this.used = used;
    }

    /** A pod resolved to an identity; {@code method} is {@code sts_web_identity} or {@code container_credentials}. */
    public void podIdentified(String method) {
        pods.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    public void serviceAccountMissing() {
        missingServiceAccounts.increment();
    }

    /** One served request: {@code http_request_count}, {@code http_request_latencies}, {@code http_request_duration_microseconds}. */
    public void request(String verb, String path, int code, double micros) {
        requests.computeIfAbsent(new Answered(verb, path, code), k -> new LongAdder()).increment();
        latencies.computeIfAbsent(new Route(verb, path), k -> new Latency()).record(micros);
    }

    /** The six families, sorted by name as the Go client writes them; families with no series are left out. */
    public void write(StringBuilder out) {
        PrometheusText text = new PrometheusText(out);
        if (!requests.isEmpty()) {
            text.family("http_request_count", "counter",
                    "Counter of requests broken out for each verb, path, and response code.");
            requests.forEach((key, count) -> text.sample("http_request_count",
                    Map.of("verb", key.verb(), "path", key.path(), "code", Integer.toString(key.code())), count.sum()));
        }
        if (!latencies.isEmpty()) {
            text.family("http_request_duration_microseconds", "summary",
                    "Response latency summary in microseconds for each verb and path.");
            latencies.forEach((route, latency) -> {
                Map<String, String> labels = Map.of("verb", route.verb(), "path", route.path());
                text.sample("http_request_duration_microseconds_sum", labels, latency.sum.sum());
                text.sample("http_request_duration_microseconds_count", labels, latency.count.sum());
            });
            text.family("http_request_latencies", "histogram",
                    "Response latency distribution in microseconds for each verb and path");
            latencies.forEach((route, latency) -> {
                Map<String, String> labels = Map.of("verb", route.verb(), "path", route.path());
                long cumulative = 0;
                for (int i = 0; i < LATENCY_BUCKETS_MICROS.length; i++) {
                    cumulative += latency.buckets[i].sum();
                    text.bucket("http_request_latencies_bucket", labels, PrometheusText.goFloat(LATENCY_BUCKETS_MICROS[i]),
                            cumulative);
                }
                long count = latency.count.sum();
                text.bucket("http_request_latencies_bucket", labels, "+Inf", count);
                text.sample("http_request_latencies_sum", labels, latency.sum.sum());
                text.sample("http_request_latencies_count", labels, count);
            });
        }
        long missing = missingServiceAccounts.sum();
        if (missing > 0) {
            text.family("pod_identity_webhook_missing_sa_count", "counter",
                    "Service account did not have the right annotations or was not found in the cache.");
            text.sample("pod_identity_webhook_missing_sa_count", Map.of(), missing);
        }
        if (!pods.isEmpty()) {
            text.family("pod_identity_webhook_pod_count", "counter",
                    "Indicator to how many pods are using sts web identity or container credentials");
            pods.forEach((method, count) -> text.sample("pod_identity_webhook_pod_count", Map.of("method", method),
                    count.sum()));
        }
        text.family("pod_identity_webhook_used", "gauge", "Indicator to know pod identity webhook is used");
        text.sample("pod_identity_webhook_used", Map.of(), used.getAsInt());
    }
}
