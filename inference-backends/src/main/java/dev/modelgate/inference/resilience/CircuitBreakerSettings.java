package dev.modelgate.inference.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Duration;

/**
 * When a backend's circuit opens and how it recovers. The window counts calls (not seconds) so that
 * a quiet backend is judged on as many calls as a busy one.
 *
 * @param enabled                       false: calls always go through
 * @param failureRateThreshold          percentage of failed calls (errors and timeouts) in the window that opens the circuit
 * @param slowCallRateThreshold         percentage of slow calls that opens it
 * @param slowCallDuration              a call at least this long is slow
 * @param slidingWindowSize             calls the rates are computed over
 * @param minimumNumberOfCalls          calls needed before the rates count at all
 * @param waitInOpenState               how long an open circuit fails fast before letting probes through
 * @param permittedCallsInHalfOpenState probes whose outcome decides between closing and reopening
 */
public record CircuitBreakerSettings(boolean enabled, float failureRateThreshold, float slowCallRateThreshold,
                                     Duration slowCallDuration, int slidingWindowSize, int minimumNumberOfCalls,
                                     Duration waitInOpenState, int permittedCallsInHalfOpenState) {

    public CircuitBreakerSettings {
        requirePercentage("failureRateThreshold", failureRateThreshold);
        requirePercentage("slowCallRateThreshold", slowCallRateThreshold);
        Durations.requirePositive("slowCallDuration", slowCallDuration);
        requireAtLeastOne("slidingWindowSize", slidingWindowSize);
        requireAtLeastOne("minimumNumberOfCalls", minimumNumberOfCalls);
        Durations.requirePositive("waitInOpenState", waitInOpenState);
        requireAtLeastOne("permittedCallsInHalfOpenState", permittedCallsInHalfOpenState);
    }

    /** Opens at 50 % failures or 100 % slow (≥ 5 s) calls over the last 20 (at least 10), probes 3 calls after 10 s. */
    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(5), 20, 10, Duration.ofSeconds(10), 3);
    }

    public static CircuitBreakerSettings disabled() {
        CircuitBreakerSettings d = defaults();
        return new CircuitBreakerSettings(false, d.failureRateThreshold, d.slowCallRateThreshold, d.slowCallDuration,
                d.slidingWindowSize, d.minimumNumberOfCalls, d.waitInOpenState, d.permittedCallsInHalfOpenState);
    }

    CircuitBreakerConfig toConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(slidingWindowSize)
                .minimumNumberOfCalls(minimumNumberOfCalls)
                .failureRateThreshold(failureRateThreshold)
                .slowCallRateThreshold(slowCallRateThreshold)
                .slowCallDurationThreshold(slowCallDuration)
                .waitDurationInOpenState(waitInOpenState)
                .permittedNumberOfCallsInHalfOpenState(permittedCallsInHalfOpenState)
                .recordException(Failures::isBackendsFault)
                .ignoreException(Failures::isLoadShed)
                .build();
    }

    private static void requirePercentage(String field, float value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(field + " must be in (0, 100], got " + value);
        }
    }

    private static void requireAtLeastOne(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }
}
