package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The direct-GET limiter: bursts of 20, then 10 per second, queueing rather than refusing. */
class TokenBucketTest {

    private static final long T0 = 1_000_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final TokenBucket bucket = new TokenBucket(10, 20, T0);

    @Test
    void burstOfTwentyIsImmediate() {
        for (int i = 0; i < 20; i++) {
            assertEquals(0, bucket.reserve(T0), "request " + (i + 1));
        }
    }

    @Test
    void requestsBeyondTheBurstAreSpacedOneHundredMillisecondsApart() {
        for (int i = 0; i < 20; i++) {
            bucket.reserve(T0);
        }

        assertEquals(100 * MS, bucket.reserve(T0));
        assertEquals(200 * MS, bucket.reserve(T0));
        assertEquals(300 * MS, bucket.reserve(T0));
    }

    @Test
    void tokensRefillAtTenPerSecond() {
        for (int i = 0; i < 20; i++) {
            bucket.reserve(T0);
        }

        assertEquals(0, bucket.reserve(T0 + 100 * MS), "one token after 100 ms");
        assertEquals(100 * MS, bucket.reserve(T0 + 100 * MS), "and only one");
        assertEquals(50 * MS, bucket.reserve(T0 + 250 * MS), "half a token after a further 50 ms of credit");
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        for (int i = 0; i < 20; i++) {
            bucket.reserve(T0);
        }
        long later = T0 + TimeUnit.SECONDS.toNanos(60);

        for (int i = 0; i < 20; i++) {
            assertEquals(0, bucket.reserve(later), "request " + (i + 1) + " after a minute idle");
        }
        assertEquals(100 * MS, bucket.reserve(later));
    }
}
