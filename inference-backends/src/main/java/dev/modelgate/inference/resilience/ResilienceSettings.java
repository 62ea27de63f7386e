package dev.modelgate.inference.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * One backend's resilience policy. There is always a timeout: the gateway promises callers an answer
 * (possibly an error) within a bound, never a hang.
 *
 * @param timeout        the whole call's budget, retries and their waits included; exceeding it fails
 *                       with {@code TIMEOUT}
 * @param circuitBreaker when to stop calling a failing backend
 * @param bulkhead       how many calls may be in flight
 * @param retry          retries of calls that never reached the server
 */
public record ResilienceSettings(Duration timeout, CircuitBreakerSettings circuitBreaker, BulkheadSettings bulkhead,
                                 RetrySettings retry) {

    public ResilienceSettings {
        Durations.requirePositive("timeout", timeout);
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(retry, "retry");
    }

    /** A 10 s timeout and every default: {@link CircuitBreakerSettings#defaults()}, {@link BulkheadSettings#defaults()}, {@link RetrySettings#defaults()}. */
    public static ResilienceSettings defaults() {
        return new ResilienceSettings(Duration.ofSeconds(10), CircuitBreakerSettings.defaults(), BulkheadSettings.defaults(),
                RetrySettings.defaults());
    }

    /** A timeout and nothing else. */
    public static ResilienceSettings timeoutOnly(Duration timeout) {
        return new ResilienceSettings(timeout, CircuitBreakerSettings.disabled(), BulkheadSettings.disabled(),
                RetrySettings.disabled());
    }

    public ResilienceSettings withTimeout(Duration value) {
        return new ResilienceSettings(value, circuitBreaker, bulkhead, retry);
    }

    public ResilienceSettings withCircuitBreaker(CircuitBreakerSettings value) {
        return new ResilienceSettings(timeout, value, bulkhead, retry);
    }

    public ResilienceSettings withBulkhead(BulkheadSettings value) {
        return new ResilienceSettings(timeout, circuitBreaker, value, retry);
    }

    public ResilienceSettings withRetry(RetrySettings value) {
        return new ResilienceSettings(timeout, circuitBreaker, bulkhead, value);
    }
}
