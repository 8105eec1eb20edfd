package io.podidentity.server;

import io.podidentity.health.Readiness;
import io.podidentity.memory.StartupPages;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Once the native executable is ready (the ServiceAccounts listed, the server listening) and
 * {@link #SETTLE} later, its startup-only pages go back to the kernel ({@link StartupPages}). The
 * delay lets the informer's own list, which follows the early one, and the first admissions run on
 * the pages as they are: released at readiness, the first answer faulted its code back in and came
 * later. If readiness takes longer than {@link #WAIT} (an API server down at startup), they go
 * then: what the list touches later comes back in as it is used.
 */
@Singleton
public class StartupPagesRelease {

    private static final Logger LOG = Logger.getLogger(StartupPagesRelease.class);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final Readiness readiness;

    public StartupPagesRelease(Readiness readiness) {
        this.readiness = readiness;
    }

    /** Quarkus fires this asynchronously, on a worker thread, once the HTTPS server listens. */
    void started(@ObservesAsync HttpsServerStart event) throws InterruptedException {
        if (!StartupPages.applies()) {
            return;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!readiness.ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(SETTLE.toMillis());
        try {
            StartupPages.Released released = StartupPages.release();
            LOG.infof("released the executable's startup-only pages: %d KiB in %d mappings; RSS %d -> %d KiB",
                    released.residentKb(), released.mappings(), released.rssBeforeKb(), released.rssAfterKb());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not release the executable's startup-only pages (the memory stays in use): %s", e.toString());
        }
    }
}
