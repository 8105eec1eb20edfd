package io.podidentity.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of admission requests the webhook holds at once: each request counts its body plus
 * {@link #PER_REQUEST_BYTES} for the stream, routing and answer around it. Without a bound,
 * requests arriving faster than they are answered (a burst of near-limit pods of 1.5 MiB each,
 * or thousands of small ones while the JIT is still cold) pile up until the heap is exhausted and
 * the process dies, failing every admission until it restarts. Past the budget a
 * request is refused at once with 503 (kube-apiserver applies the webhook's failurePolicy to that
 * one request) and the webhook stays up. A single request may always take the whole budget.
 *
 * <p>Requests are not held back instead: pausing an HTTP/2 stream keeps the data it has received
 * from returning flow-control credit to the connection, so enough paused streams stall the ones
 * being read, and everything waits forever.
 */
final class BodyBudget {

    /** What a request holds besides its body (HTTP/2 stream, headers, routing context, answer); an estimate. */
    static final long PER_REQUEST_BYTES = 16 * 1024;

    private final long capacity;
    private final AtomicLong available;

    BodyBudget(long capacity) {
        this.capacity = capacity;
        this.available = new AtomicLong(capacity);
    }

    /** Takes {@code bytes} (capped at the capacity) if available; the caller gives them back with {@link #release}. */
    long tryClaim(long bytes) {
        long claim = Math.min(bytes, capacity);
        long now;
        do {
            now = available.get();
            if (now < claim) {
                return -1;
            }
        } while (!available.compareAndSet(now, now - claim));
        return claim;
    }

    void release(long claimed) {
        available.addAndGet(claimed);
    }

    long capacity() {
        return capacity;
    }

    long available() {
        return available.get();
    }

    /** A budget for a heap of {@code maxHeapBytes}: a quarter of it, never less than one body. */
    static long forHeap(long maxHeapBytes, long maxBodyBytes) {
        return Math.max(maxHeapBytes / 4, maxBodyBytes);
    }
}
