package dev.modelgate.experiments.stats;

/** A point estimate with the variance of its estimator; the input of every interval construction. */
public record Estimate(double value, double variance) {

    public Estimate {
        Validate.finite("value", value);
        Validate.nonNegative("variance", variance);
    }

    public double standardError() {
        return Math.sqrt(variance);
    }

    /** {@code value ± halfWidth} as an {@link Effect}. */
    public Effect withHalfWidth(double halfWidth) {
        return new Effect(value, Interval.around(value, halfWidth));
    }
}
