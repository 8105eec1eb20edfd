package io.podidentity.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for what happens asynchronously (informers, queued GETs, file watches, a certificate
 * swap, a cluster), on awaitility. The condition runs on the caller's thread, first at once, so
 * a wait costs nothing when the thing is already there and a slow check is never cut short.
 */
public final class Waiting {

    /** How long unit tests wait for what they started: generous, since CI machines stall. */
    public static final Duration DEADLINE = Duration.ofSeconds(20);

    private static final Duration UNIT_TEST_INTERVAL = Duration.ofMillis(10);

    private Waiting() {
    }

    /** {@link #until(Duration, Duration, String, Callable)} for {@link #DEADLINE}, checking every 10 ms. */
    public static void until(String what, Callable<Boolean> condition) {
        until(DEADLINE, UNIT_TEST_INTERVAL, what, condition);
    }

    /**
     * Returns as soon as {@code condition} returns true, checking every {@code interval}; an
     * exception it throws counts as "not yet".
     *
     * @throws AssertionError after {@code timeout}, naming {@code what} and the last exception
     */
    public static void until(Duration timeout, Duration interval, String what, Callable<Boolean> condition) {
        AtomicReference<Exception> last = new AtomicReference<>();
        boolean held = within(timeout, interval, () -> {
            try {
                return condition.call();
            } catch (Exception e) {
                last.set(e);
                return false;
            }
        });
        if (!held) {
            throw new AssertionError("gave up waiting " + timeout.toSeconds() + " s for " + what
                    + (last.get() == null ? "" : "; last error: " + last.get()), last.get());
        }
    }

    /**
     * Whether {@code condition} returned true within {@code timeout}, checking every
     * {@code interval} ({@link Duration#ZERO}: back to back). An exception it throws ends the wait
     * and reaches the caller unchanged, for waits where every check must succeed.
     */
    public static boolean within(Duration timeout, Duration interval, Callable<Boolean> condition) {
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(interval).atMost(timeout)
                    .until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
