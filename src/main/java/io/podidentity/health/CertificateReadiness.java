package io.podidentity.health;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Readiness waits for the serving certificate of the named TLS configuration {@code webhook}. */
@Singleton
public class CertificateReadiness {

    static final String TLS_CONFIGURATION = "webhook";

    void register(@Observes StartupEvent event, Readiness readiness, TlsConfigurationRegistry registry) {
        readiness.require("serving certificate", () -> registry.get(TLS_CONFIGURATION)
                .map(tls -> tls.getKeyStore() != null)
                .orElse(false));
    }
}
