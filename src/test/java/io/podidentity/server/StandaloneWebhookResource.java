package io.podidentity.server;

import io.podidentity.config.WebhookConfig;
import io.podidentity.testing.FreePorts;
import io.podidentity.tls.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the webhook under test the way a newcomer does: standalone (objects file), a generated
 * certificate, upstream-style settings. Ports are picked free at start.
 */
public class StandaloneWebhookResource implements QuarkusTestResourceLifecycleManager {

    static final int PORT = FreePorts.next();
    static final int METRICS_PORT = FreePorts.next();
    static Path dir;
    /** RSA with a PKCS#1 key: the format the JDK alone cannot read, proven through the whole TLS stack. */
    static TestCertificates.TestPki certificate;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("webhook-test");
            certificate = TestCertificates.create(dir.resolve("certs"), TestCertificates.KeyFormat.RSA_PKCS1);
            Path objects = dir.resolve("objects.yaml");
            Files.copy(Path.of("src/test/resources/http/objects.yaml"), objects);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("webhook.objects-file", objects.toString());
            settings.put("webhook.watch-config-map", "true");
            settings.put("webhook.namespace", "webhook");
            settings.put("webhook.aws-default-region", "eu-west-1");
            settings.put("webhook.enable-debugging-handlers", "true");
            settings.put("webhook.service-account-lookup-grace-period", "200ms");
            settings.put("webhook.max-request-bytes", "1048576");
            settings.put("webhook.tls-cert", certificate.certificate().toString());
            settings.put("webhook.tls-key", certificate.privateKey().toString());
            settings.put("webhook.tls-reload-period", "500ms");
            // What Main would give Quarkus for these settings, then the test ports.
            Map<String, String> config = new LinkedHashMap<>(settings);
            config.putAll(QuarkusProperties.of(WebhookConfig.resolve(Map.of(),
                    flag -> Optional.ofNullable(settings.get(flag.property())))));
            config.put("quarkus.http.test-ssl-port", Integer.toString(PORT));
            config.put("quarkus.management.test-port", Integer.toString(METRICS_PORT));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
