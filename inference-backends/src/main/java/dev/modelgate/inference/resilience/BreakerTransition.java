package dev.modelgate.inference.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.ZonedDateTime;

/** A circuit breaker changed state, e.g. CLOSED → OPEN: worth a log line and a counter. */
public record BreakerTransition(String name, CircuitBreaker.State from, CircuitBreaker.State to, ZonedDateTime at) {
}
