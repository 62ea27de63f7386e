package dev.modelgate.gateway.alerts;

import java.time.Duration;

/**
 * How a channel retries a delivery: exponential backoff from {@code initialBackoff}, doubled after
 * each failure up to {@code maxBackoff}, for at most {@code maxAttempts} attempts.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 < initialBackoff <= maxBackoff, was "
                    + initialBackoff + " and " + maxBackoff);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
    }

    /** Eight attempts over about two minutes, 5 s per request. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** Wait before attempt {@code attempt + 1}, after {@code attempt} failed ones (1-based). */
    long backoffMillis(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        return Math.min(millis, maxBackoff.toMillis());
    }
}
