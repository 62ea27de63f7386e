package dev.modelgate.inference.resilience;

/**
 * How many calls may be in flight to one backend. A call over the limit is rejected at once with
 * {@code OVERLOADED}, never queued: a queue in front of a saturated backend only turns overload into
 * latency for everyone.
 *
 * @param enabled            false: no limit
 * @param maxConcurrentCalls calls in flight at most
 */
public record BulkheadSettings(boolean enabled, int maxConcurrentCalls) {

    public BulkheadSettings {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 1, got " + maxConcurrentCalls);
        }
    }

    /** 64 calls in flight. */
    public static BulkheadSettings defaults() {
        return new BulkheadSettings(true, 64);
    }

    public static BulkheadSettings disabled() {
        return new BulkheadSettings(false, defaults().maxConcurrentCalls);
    }
}
