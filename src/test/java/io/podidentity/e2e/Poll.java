package io.podidentity.e2e;

import io.podidentity.testing.Waiting;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for something the cluster or the webhook does asynchronously, at a pace that spares the API server. */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /**
     * Calls {@code condition} every 250 ms until it returns true; exceptions count as "not yet".
     *
     * @throws AssertionError after {@code timeout}, naming {@code what} and the last exception
     */
    static void until(Duration timeout, String what, Callable<Boolean> condition) {
        Waiting.until(timeout, INTERVAL, what, condition);
    }
}
