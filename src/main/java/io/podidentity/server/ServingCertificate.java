package io.podidentity.server;

import io.podidentity.health.Readiness;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.jboss.logging.Logger;

/**
 * The serving certificate of the named TLS configuration {@code webhook}: readiness waits for it,
 * and a rotation (cert-manager renewing the Secret) is logged once with the new serial and expiry.
 * The TLS registry itself re-reads the files every {@code --tls-reload-period}.
 */
@Singleton
public class ServingCertificate {

    static final String TLS_CONFIGURATION = "webhook";
    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);

    private volatile String current = "";

    void register(@Observes StartupEvent event, Readiness readiness, TlsConfigurationRegistry registry) {
        readiness.require("serving certificate", () -> registry.get(TLS_CONFIGURATION)
                .map(tls -> tls.getKeyStore() != null)
                .orElse(false));
        registry.get(TLS_CONFIGURATION).ifPresent(tls -> {
            current = describe(tls);
            LOG.infof("serving certificate: %s", current);
        });
    }

    void reloaded(@Observes CertificateUpdatedEvent event) {
        if (!TLS_CONFIGURATION.equals(event.name())) {
            return;
        }
        String now = describe(event.tlsConfiguration());
        if (!now.equals(current)) {
            current = now;
            LOG.infof("serving certificate rotated: %s", now);
        }
    }

    private static String describe(TlsConfiguration tls) {
        KeyStore store = tls.getKeyStore();
        if (store == null) {
            return "none";
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
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
