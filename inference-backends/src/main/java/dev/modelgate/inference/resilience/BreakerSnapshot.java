package dev.modelgate.inference.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One backend's circuit breaker as {@code GET /admin/backends} shows it.
 *
 * @param failureRate      percentage of failed calls in the window, or -1 before the minimum number of calls
 * @param slowCallRate     percentage of slow calls, or -1 likewise
 * @param bufferedCalls    calls in the window
 * @param failedCalls      failed calls in the window
 * @param slowCalls        slow calls in the window
 * @param notPermittedCalls calls refused while open, since the breaker was created
 */
public record BreakerSnapshot(String name, CircuitBreaker.State state, float failureRate, float slowCallRate,
                              int bufferedCalls, int failedCalls, int slowCalls, long notPermittedCalls) {

    static BreakerSnapshot of(CircuitBreaker breaker) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        return new BreakerSnapshot(breaker.getName(), breaker.getState(), metrics.getFailureRate(),
                metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
                metrics.getNumberOfSlowCalls(), metrics.getNumberOfNotPermittedCalls());
    }
}
