package io.podidentity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class WebhookMetricsTest {

    @Test
    void writesUpstreamsFamiliesWithTheirTypesLabelsAndBuckets() {
        WebhookMetrics metrics = new WebhookMetrics();
        metrics.registerUsage(() -> 1);
        metrics.request("POST", "/mutate", 200, 130_000);
        metrics.request("POST", "/mutate", 200, 20);
        metrics.podIdentified("sts_web_identity");
        metrics.serviceAccountMissing();
        StringBuilder out = new StringBuilder();
        metrics.write(out);
        assertEquals("""
                # HELP http_request_count Counter of requests broken out for each verb, path, and response code.
                # TYPE http_request_count counter
                http_request_count{code="200",path="/mutate",verb="POST"} 2
                # HELP http_request_duration_microseconds Response latency summary in microseconds for each verb and path.
                # TYPE http_request_duration_microseconds summary
                http_request_duration_microseconds_sum{path="/mutate",verb="POST"} 130020
                http_request_duration_microseconds_count{path="/mutate",verb="POST"} 2
                # HELP http_request_latencies Response latency distribution in microseconds for each verb and path
                # TYPE http_request_latencies histogram
                http_request_latencies_bucket{path="/mutate",verb="POST",le="125000"} 1
                http_request_latencies_bucket{path="/mutate",verb="POST",le="250000"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="500000"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="1e+06"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="2e+06"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="4e+06"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="8e+06"} 2
                http_request_latencies_bucket{path="/mutate",verb="POST",le="+Inf"} 2
                http_request_latencies_sum{path="/mutate",verb="POST"} 130020
                http_request_latencies_count{path="/mutate",verb="POST"} 2
                # HELP pod_identity_webhook_missing_sa_count Service account did not have the right annotations or was not found in the cache.
                # TYPE pod_identity_webhook_missing_sa_count counter
                pod_identity_webhook_missing_sa_count 1
                # HELP pod_identity_webhook_pod_count Indicator to how many pods are using sts web identity or container credentials
                # TYPE pod_identity_webhook_pod_count counter
                pod_identity_webhook_pod_count{method="sts_web_identity"} 1
                # HELP pod_identity_webhook_used Indicator to know pod identity webhook is used
                # TYPE pod_identity_webhook_used gauge
                pod_identity_webhook_used 1
                """, out.toString());
    }

    @Test
    void familiesWithoutSeriesAreLeftOutAsTheGoClientLeavesOutEmptyVectors() {
        StringBuilder out = new StringBuilder();
        new WebhookMetrics().write(out);
        assertEquals("""
                # HELP pod_identity_webhook_used Indicator to know pod identity webhook is used
                # TYPE pod_identity_webhook_used gauge
                pod_identity_webhook_used 0
                """, out.toString());
        assertFalse(out.toString().contains("_total"));
    }
}
