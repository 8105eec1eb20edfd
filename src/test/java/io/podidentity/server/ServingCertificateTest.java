package io.podidentity.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.podidentity.config.WebhookConfig;
import io.podidentity.tls.TestCertificates;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the HTTPS server is given to serve, at its start and at each rotation check. */
class ServingCertificateTest {

    @TempDir
    Path dir;

    private ServingCertificate servingCertificate(TestCertificates.TestPki pki) {
        Map<String, String> settings = Map.of(
                "webhook.tls-cert", pki.certificate().toString(),
                "webhook.tls-key", pki.privateKey().toString());
        ServingCertificate serving = new ServingCertificate(
                WebhookConfig.resolve(Map.of(), flag -> Optional.ofNullable(settings.get(flag.property()))));
        serving.customizeHttpsServer(new HttpServerOptions());
        return serving;
    }

    @Test
    void servesTheFilesThenTheirRotation() {
        TestCertificates.TestPki pki = TestCertificates.create(dir, TestCertificates.KeyFormat.EC_PKCS8);
        ServingCertificate serving = servingCertificate(pki);
        assertEquals(pki.serial(), serving.served().getSerialNumber());

        TestCertificates.TestPki rotated = pki.rotate();
        serving.check();

        assertEquals(rotated.serial(), serving.served().getSerialNumber());
    }

    @Test
    void appliesARotationOnceTheKeyMatchesTheNewCertificate() throws Exception {
        TestCertificates.TestPki first = TestCertificates.create(dir, TestCertificates.KeyFormat.RSA_PKCS1);
        ServingCertificate serving = servingCertificate(first);
        byte[] firstKey = Files.readAllBytes(first.privateKey());

        TestCertificates.TestPki second = first.rotate();
        byte[] secondKey = Files.readAllBytes(second.privateKey());
        Files.write(second.privateKey(), firstKey); // the new certificate, the key not written yet
        serving.check();
        assertEquals(first.serial(), serving.served().getSerialNumber(), "a certificate is never served with another's key");

        Files.write(second.privateKey(), secondKey);
        serving.check();
        assertEquals(second.serial(), serving.served().getSerialNumber());
        assertNotEquals(first.serial(), second.serial());
    }

    @Test
    void keepsServingWhileAFileIsMissing() throws Exception {
        TestCertificates.TestPki first = TestCertificates.create(dir, TestCertificates.KeyFormat.EC_SEC1);
        ServingCertificate serving = servingCertificate(first);
        byte[] key = Files.readAllBytes(first.privateKey());

        Files.delete(first.privateKey());
        serving.check();
        assertEquals(first.serial(), serving.served().getSerialNumber());

        Files.write(first.privateKey(), key);
        TestCertificates.TestPki second = first.rotate();
        serving.check();
        assertEquals(second.serial(), serving.served().getSerialNumber());
    }
}
