package io.podidentity.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for something the cluster or the webhook does asynchronously, with a deadline and a clear failure. */
final class Poll {

    private Poll() {
    }

    /**
     * Calls {@code condition} every 250 ms until it returns true; exceptions count as "not yet".
     *
     * @throws AssertionError after {@code timeout}, naming {@code what} and the last exception
     */
    static void until(Duration timeout, String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting " + timeout.toSeconds() + " s for " + what
                        + (last == null ? "" : "; last error: " + last), last);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
