package io.podidentity.server;

import io.podidentity.tls.GeneratedCertificate;
import io.podidentity.tls.SelfSignedCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts the webhook under test the way a newcomer does: standalone (objects file), a generated
 * certificate, upstream-style settings. Ports are fixed and unusual so the tests can address them.
 */
public class StandaloneWebhookResource implements QuarkusTestResourceLifecycleManager {

    static final int PORT = 18443;
    static final int METRICS_PORT = 19999;
    static Path dir;
    static GeneratedCertificate certificate;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("webhook-test");
            certificate = SelfSignedCertificates.generate(dir.resolve("certs"), List.of("localhost"), List.of("127.0.0.1"),
                    Duration.ofDays(1));
            Path objects = dir.resolve("objects.yaml");
            Files.copy(Path.of("src/test/resources/http/objects.yaml"), objects);
            return Map.ofEntries(
                    Map.entry("webhook.objects-file", objects.toString()),
                    Map.entry("webhook.watch-config-map", "true"),
                    Map.entry("webhook.namespace", "webhook"),
                    Map.entry("webhook.aws-default-region", "eu-west-1"),
                    Map.entry("webhook.enable-debugging-handlers", "true"),
                    Map.entry("webhook.service-account-lookup-grace-period", "200ms"),
                    Map.entry("webhook.max-request-bytes", "1048576"),
                    Map.entry("quarkus.tls.webhook.key-store.pem.0.cert", certificate.certificate().toString()),
                    Map.entry("quarkus.tls.webhook.key-store.pem.0.key", certificate.privateKey().toString()),
                    Map.entry("quarkus.http.test-ssl-port", Integer.toString(PORT)),
                    Map.entry("quarkus.management.test-port", Integer.toString(METRICS_PORT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
