package dev.modelgate.experiments.spec;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How much shadow traffic the gateway may send, so that shadows can never starve the primary path.
 * At least one limit is required: an unbounded shadow is how an outage starts.
 */
public record ShadowBudget(OptionalInt maxConcurrent, OptionalDouble maxPerSecond) {

    public ShadowBudget {
        Checks.required("max_concurrent", maxConcurrent);
        Checks.required("max_per_second", maxPerSecond);
        if (maxConcurrent.isEmpty() && maxPerSecond.isEmpty()) {
            throw new SpecValidationException("max_concurrent", "max_concurrent or max_per_second (or both) is required");
        }
        if (maxConcurrent.isPresent() && maxConcurrent.getAsInt() < 1) {
            throw new SpecValidationException("max_concurrent", "must be at least 1, got " + maxConcurrent.getAsInt());
        }
        if (maxPerSecond.isPresent() && !(maxPerSecond.getAsDouble() > 0.0 && Double.isFinite(maxPerSecond.getAsDouble()))) {
            throw new SpecValidationException("max_per_second", "must be a positive finite rate, got " + maxPerSecond.getAsDouble());
        }
    }
}
