package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for what informers and queued GETs deliver asynchronously. */
final class Eventually {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    private Eventually() {}

    /** Returns as soon as {@code condition} holds; fails with {@code what} after {@link #DEADLINE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting until " + what);
            }
        }
    }
}
