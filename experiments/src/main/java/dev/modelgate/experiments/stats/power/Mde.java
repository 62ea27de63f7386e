package dev.modelgate.experiments.stats.power;

import dev.modelgate.experiments.stats.Validate;

import java.util.Objects;

/**
 * Minimum detectable effect, either absolute ({@code +0.01} = one percentage point on a rate) or
 * relative to the baseline ({@code 0.05} = a 5 % lift).
 */
public record Mde(double value, Kind kind) {

    public enum Kind { ABSOLUTE, RELATIVE }

    public Mde {
        Validate.finite("value", value);
        if (value == 0.0) {
            throw new IllegalArgumentException("value must be non-zero, an effect of 0 cannot be detected");
        }
        Objects.requireNonNull(kind, "kind");
    }

    public static Mde absolute(double value) {
        return new Mde(value, Kind.ABSOLUTE);
    }

    public static Mde relative(double value) {
        return new Mde(value, Kind.RELATIVE);
    }

    /** The effect as an absolute difference on the given baseline. */
    public double absoluteOn(double baseline) {
        return kind == Kind.ABSOLUTE ? value : value * baseline;
    }
}
