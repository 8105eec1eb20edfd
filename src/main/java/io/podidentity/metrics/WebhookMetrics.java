package io.podidentity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of upstream's webhook, with its names and labels. The Prometheus client adds
 * {@code _total} to counter names: {@code http_request_count} is scraped as
 * {@code http_request_count_total}.
 */
public final class WebhookMetrics {

    /** Upstream's histogram buckets: 125 ms to 8 s, in microseconds. */
    private static final double[] LATENCY_BUCKETS_MICROS = {125_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000};

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> podCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> requestCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DistributionSummary[]> latencies = new ConcurrentHashMap<>();
    private final Counter missingServiceAccounts;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.missingServiceAccounts = Counter.builder("pod_identity_webhook_missing_sa_count")
                .description("Service account did not have the right annotations or was not found in the cache.")
                .register(registry);
    }

    /** {@code pod_identity_webhook_used}: 1 once the webhook knows any ServiceAccount. */
    public void registerUsage(Supplier<Number> used) {
        Gauge.builder("pod_identity_webhook_used", used, s -> s.get().doubleValue())
                .description("Indicator to know pod identity webhook is used")
                .strongReference(true)
                .register(registry);
    }

    /** A pod resolved to an identity; {@code method} is {@code sts_web_identity} or {@code container_credentials}. */
    public void podIdentified(String method) {
        podCounts.computeIfAbsent(method, m -> Counter.builder("pod_identity_webhook_pod_count")
                        .description("Indicator to how many pods are using sts web identity or container credentials")
                        .tag("method", m)
                        .register(registry))
                .increment();
    }

    public void serviceAccountMissing() {
        missingServiceAccounts.increment();
    }

    /** One served request: {@code http_request_count}, {@code http_request_latencies}, {@code http_request_duration_microseconds}. */
    public void request(String verb, String path, int code, double micros) {
        String key = verb + ' ' + path + ' ' + code;
        requestCounts.computeIfAbsent(key, k -> Counter.builder("http_request_count")
                        .description("Counter of requests broken out for each verb, path, and response code.")
                        .tag("verb", verb)
                        .tag("path", path)
                        .tag("code", Integer.toString(code))
                        .register(registry))
                .increment();
        DistributionSummary[] pair = latencies.computeIfAbsent(verb + ' ' + path, k -> new DistributionSummary[] {
            DistributionSummary.builder("http_request_latencies")
                    .description("Response latency distribution in microseconds for each verb and path")
                    .tag("verb", verb)
                    .tag("path", path)
                    .serviceLevelObjectives(LATENCY_BUCKETS_MICROS)
                    .register(registry),
            DistributionSummary.builder("http_request_duration_microseconds")
                    .description("Response latency summary in microseconds for each verb and path.")
                    .tag("verb", verb)
                    .tag("path", path)
                    .register(registry)
        });
        pair[0].record(micros);
        pair[1].record(micros);
    }
}
