package dev.modelgate.gateway.telemetry.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the ones held back, so a flood of drops on an
 * event loop costs two atomic operations each instead of a log line each.
 */
final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong nextAllowedNanos;
    private final AtomicLong suppressed = new AtomicLong();

    LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.nextAllowedNanos = new AtomicLong(System.nanoTime());
    }

    /** True when the caller should log now; otherwise the occurrence is counted as suppressed. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        long next = nextAllowedNanos.get();
        if (now - next >= 0 && nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** Occurrences held back since the previous call. */
    long takeSuppressed() {
        return suppressed.getAndSet(0);
    }
}
