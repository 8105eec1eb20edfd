package io.podidentity.health;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Quarkus's pre-shutdown phase (quarkus.shutdown.delay, from {@code --shutdown-delay}): the
 * webhook stops being ready but keeps serving, while the Service's endpoints drop this pod.
 */
@Singleton
class PreShutdown {

    private static final Logger LOG = Logger.getLogger(PreShutdown.class);

    void begin(@Observes ShutdownDelayInitiatedEvent event, Readiness readiness) {
        readiness.shuttingDown();
        LOG.info("shutting down: not ready, still serving until the shutdown delay ends, then draining");
    }
}
