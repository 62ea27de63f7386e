package dev.modelgate.inference.resilience;

import java.time.Duration;
import java.util.Objects;

/** Validation shared by the settings records. */
final class Durations {

    private Durations() {
    }

    static void requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
