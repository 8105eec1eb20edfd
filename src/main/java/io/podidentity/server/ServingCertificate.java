package io.podidentity.server;

import io.podidentity.config.Flag;
import io.podidentity.config.WebhookConfig;
import io.podidentity.health.Readiness;
import io.podidentity.tls.PemFiles;
import io.podidentity.tls.RotatingKeyManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The serving certificate. The TLS configuration {@code webhook} names the files
 * ({@link QuarkusProperties}), so Quarkus checks them at start and applies the TLS versions and
 * ciphers; the HTTPS server then gets its key manager from here. Every {@code --tls-reload-period}
 * the certificate and key files are compared with what is served; a change is applied once the two
 * files match each other (a rotation that writes them one after the other never serves a
 * certificate with the wrong key), by swapping the key manager that each handshake consults.
 * Rotations are logged once each.
 *
 * <p>Not the TLS registry's own reload ({@code quarkus.tls.webhook.reload-period}): measured in
 * {@code AdmissionHttpTest.servesARotatedCertificateWithoutRestart}, it serves whatever pair the
 * files hold at its tick, and Vert.x's SSL options update it triggers failed a handshake that
 * arrived meanwhile ({@code NullPointerException} in {@code SslContextUpdate}); a swapped key
 * manager changes nothing but the next handshake's certificate.
 */
@Singleton
public class ServingCertificate implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);

    private final Path certificate;
    private final Path key;
    private final long periodMillis;
    private volatile RotatingKeyManager keyManager;
    private ScheduledExecutorService executor;
    private PemFiles.Contents served;
    private String rejected;

    public ServingCertificate(WebhookConfig config) {
        this.certificate = Path.of(config.string(Flag.TLS_CERT));
        this.key = Path.of(config.string(Flag.TLS_KEY));
        this.periodMillis = config.duration(Flag.TLS_RELOAD_PERIOD).toMillis();
    }

    /** Called when the HTTPS server is set up, after the TLS configuration has been applied. */
    @Override
    public synchronized void customizeHttpsServer(HttpServerOptions options) {
        if (keyManager == null) {
            PemFiles.Contents contents = PemFiles.Contents.read(certificate, key);
            keyManager = new RotatingKeyManager(RotatingKeyManager.load(contents.keyPair(), key));
            served = contents;
            LOG.infof("serving certificate: %s", describe(keyManager.current().leaf()));
        }
        options.setKeyCertOptions(KeyCertOptions.wrap(keyManager));
    }

    /** The certificate served now, or {@code null} before the HTTPS server asked for it. */
    X509Certificate served() {
        RotatingKeyManager manager = keyManager;
        return manager == null ? null : manager.current().leaf();
    }

    void start(@Observes StartupEvent event, Readiness readiness) {
        readiness.require("serving certificate", () -> keyManager != null);
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

    /** One rotation check; package-private for the tests, which call it instead of waiting for the period. */
    void check() {
        RotatingKeyManager manager = keyManager;
        if (manager == null) {
            return;
        }
        PemFiles.Contents now;
        try {
            now = PemFiles.Contents.read(certificate, key);
        } catch (IllegalArgumentException e) {
            return; // a file missing or unreadable for a moment, during a rotation; the next check reads it
        }
        if (now.equals(served)) {
            return;
        }
        try {
            manager.replace(RotatingKeyManager.load(now.keyPair(), key));
        } catch (IllegalArgumentException e) {
            // Often a rotation caught half-way; the next check sees both files.
            if (!e.getMessage().equals(rejected)) {
                rejected = e.getMessage();
                LOG.warnf("new certificate files not applied yet, still serving the previous certificate: %s", e.getMessage());
            }
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "checking the certificate files for rotation failed");
            return;
        }
        served = now;
        rejected = null;
        LOG.infof("serving certificate rotated: %s", describe(manager.current().leaf()));
    }

    private static String describe(X509Certificate leaf) {
        return "subject \"" + leaf.getSubjectX500Principal().getName() + "\", serial "
                + leaf.getSerialNumber().toString(16) + ", expires " + leaf.getNotAfter().toInstant();
    }
}
