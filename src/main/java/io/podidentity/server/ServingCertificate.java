package io.podidentity.server;

import io.podidentity.config.GoDuration;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.tls.PemFiles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The serving certificate of the named TLS configuration {@code webhook}. Every
 * {@code --tls-reload-period} the certificate and key files are compared with what is served;
 * a change is applied only once the two files match each other, so a rotation that writes them
 * one after the other never serves a certificate with the wrong key. Readiness waits for a
 * loaded certificate; each rotation is logged once.
 */
@Singleton
public class ServingCertificate {

    static final String TLS_CONFIGURATION = "webhook";
    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);

    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updated;
    private final Path certificate;
    private final Path key;
    private final long periodMillis;
    private ScheduledExecutorService executor;
    private byte[] servedCertificate;
    private byte[] servedKey;
    private String rejected;

    public ServingCertificate(
            TlsConfigurationRegistry registry,
            Event<CertificateUpdatedEvent> updated,
            WebhookConfig config,
            @ConfigProperty(name = "quarkus.tls.webhook.key-store.pem.0.cert") String certificate,
            @ConfigProperty(name = "quarkus.tls.webhook.key-store.pem.0.key") String key) {
        this.registry = registry;
        this.updated = updated;
        this.certificate = Path.of(certificate);
        this.key = Path.of(key);
        this.periodMillis = GoDuration.parse(config.tlsReloadPeriod()).toMillis();
    }

    void start(@Observes StartupEvent event, Readiness readiness) {
        readiness.require("serving certificate", () -> registry.get(TLS_CONFIGURATION)
                .map(tls -> tls.getKeyStore() != null)
                .orElse(false));
        servedCertificate = read(certificate);
        servedKey = read(key);
        registry.get(TLS_CONFIGURATION).ifPresent(tls -> LOG.infof("serving certificate: %s", describe(tls)));
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "certificate-reload");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void check() {
        try {
            byte[] newCertificate = read(certificate);
            byte[] newKey = read(key);
            if (newCertificate == null || newKey == null
                    || (Arrays.equals(newCertificate, servedCertificate) && Arrays.equals(newKey, servedKey))) {
                return;
            }
            try {
                PemFiles.validateKeyPair(certificate, key);
            } catch (IllegalArgumentException e) {
                // Often a rotation caught half-way; the next check sees both files.
                if (!e.getMessage().equals(rejected)) {
                    rejected = e.getMessage();
                    LOG.warnf("new certificate files not applied yet, still serving the previous certificate: %s", e.getMessage());
                }
                return;
            }
            TlsConfiguration tls = registry.get(TLS_CONFIGURATION).orElseThrow();
            if (tls.reload()) {
                servedCertificate = newCertificate;
                servedKey = newKey;
                rejected = null;
                updated.fire(new CertificateUpdatedEvent(TLS_CONFIGURATION, tls));
                LOG.infof("serving certificate rotated: %s", describe(tls));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "checking the certificate files for rotation failed");
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(TlsConfiguration tls) {
        KeyStore store = tls.getKeyStore();
        if (store == null) {
            return "none";
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate leaf = store.getCertificate(alias);
                if (leaf instanceof X509Certificate x509) {
                    return "subject \"" + x509.getSubjectX500Principal().getName() + "\", serial "
                            + x509.getSerialNumber().toString(16) + ", expires " + x509.getNotAfter().toInstant();
                }
            }
        } catch (KeyStoreException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        return "none";
    }
}
