package io.podidentity.server;

import io.podidentity.config.Flag;
import io.podidentity.config.TlsPolicy;
import io.podidentity.config.WebhookConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings Quarkus itself reads while it boots, in its own property names: the ports, the TLS
 * certificate files, versions and ciphers of the named TLS configuration {@code webhook}, the body limit, the
 * shutdown delay and the log format and level. {@link io.podidentity.Main} sets them before Quarkus
 * starts; the rest of the webhook reads {@link WebhookConfig}.
 */
public final class QuarkusProperties {

    private QuarkusProperties() {}

    public static Map<String, String> of(WebhookConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.ssl-port", Integer.toString(config.port(Flag.PORT)));
        properties.put("quarkus.management.port", Integer.toString(config.port(Flag.METRICS_PORT)));
        // Checked at start by the TLS registry; served and reloaded by ServingCertificate.
        properties.put("quarkus.tls.webhook.key-store.pem.0.cert", config.string(Flag.TLS_CERT));
        properties.put("quarkus.tls.webhook.key-store.pem.0.key", config.string(Flag.TLS_KEY));
        TlsPolicy tls = config.tlsPolicy();
        properties.put("quarkus.tls.webhook.protocols", String.join(",", tls.protocols()));
        if (!tls.cipherSuites().isEmpty()) {
            properties.put("quarkus.tls.webhook.cipher-suites", String.join(",", tls.cipherSuites()));
        }
        properties.put("quarkus.http.limits.max-body-size", Long.toString(config.integer(Flag.MAX_REQUEST_BYTES)));
        // SIGTERM: not ready and still serving for the delay, then the drain (application.properties).
        properties.put("quarkus.shutdown.delay", config.duration(Flag.SHUTDOWN_DELAY).toMillis() + "ms");
        properties.put("quarkus.log.console.json.enabled", Boolean.toString(config.string(Flag.LOG_FORMAT).equals("json")));
        if (config.integer(Flag.V) >= 4) {
            properties.put("quarkus.log.category.\"io.podidentity\".level", "DEBUG");
        }
        return properties;
    }
}
