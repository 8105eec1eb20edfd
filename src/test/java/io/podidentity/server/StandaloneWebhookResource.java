package io.podidentity.server;

import io.podidentity.testing.FreePorts;
import io.podidentity.tls.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
            return Map.ofEntries(
                    Map.entry("webhook.objects-file", objects.toString()),
                    Map.entry("webhook.watch-config-map", "true"),
                    Map.entry("webhook.namespace", "webhook"),
                    Map.entry("webhook.aws-default-region", "eu-west-1"),
                    Map.entry("webhook.enable-debugging-handlers", "true"),
                    Map.entry("webhook.service-account-lookup-grace-period", "200ms"),
                    Map.entry("webhook.max-request-bytes", "1048576"),
                    Map.entry("webhook.tls-cert", certificate.certificate().toString()),
                    Map.entry("webhook.tls-key", certificate.privateKey().toString()),
                    Map.entry("webhook.tls-reload-period", "500ms"),
                    Map.entry("quarkus.http.test-ssl-port", Integer.toString(PORT)),
                    Map.entry("quarkus.management.test-port", Integer.toString(METRICS_PORT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
