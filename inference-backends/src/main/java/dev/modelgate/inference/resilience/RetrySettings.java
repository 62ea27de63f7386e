package dev.modelgate.inference.resilience;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;

/**
 * Retries of calls that never reached the server (the connection could not be made). Nothing else is
 * retried: after a timeout or an error answer the server may have done the work, and inference is
 * not known to be idempotent or cheap.
 *
 * @param maxAttempts    attempts in all, the first included; 1 turns retry off
 * @param initialBackoff wait before the first retry
 * @param multiplier     each further wait is this many times the previous one
 * @param maxBackoff     no wait is longer than this
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        Durations.requirePositive("initialBackoff", initialBackoff);
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("multiplier must be >= 1, got " + multiplier);
        }
        Durations.requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff ("
                    + initialBackoff + ")");
        }
    }

    /** 3 attempts, 50 ms then 100 ms apart (at most 1 s). */
    public static RetrySettings defaults() {
        return new RetrySettings(3, Duration.ofMillis(50), 2, Duration.ofSeconds(1));
    }

    public static RetrySettings disabled() {
        RetrySettings d = defaults();
        return new RetrySettings(1, d.initialBackoff, d.multiplier, d.maxBackoff);
    }

    boolean enabled() {
        return maxAttempts > 1;
    }

    IntervalFunction backoff() {
        return IntervalFunction.ofExponentialBackoff(initialBackoff, multiplier, maxBackoff);
    }
}
