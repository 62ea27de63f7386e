package dev.modelgate.experiments.stats;

import java.util.Objects;

/** A point estimate of an effect with its interval (confidence interval or confidence sequence). */
public record Effect(double estimate, Interval interval) {

    public Effect {
        Validate.finite("estimate", estimate);
        Objects.requireNonNull(interval, "interval");
    }

    /** True when the interval excludes zero, i.e. the effect is significant at the interval's level. */
    public boolean excludesZero() {
        return !interval.contains(0.0);
    }
}
