package dev.modelgate.experiments.stats;

/** A closed interval {@code [lower, upper]}, e.g. a confidence interval or one step of a confidence sequence. */
public record Interval(double lower, double upper) {

    public Interval {
        Validate.finite("lower", lower);
        Validate.finite("upper", upper);
        if (lower > upper) {
            throw new IllegalArgumentException("lower must be <= upper, was [" + lower + ", " + upper + "]");
        }
    }

    /** The symmetric interval {@code center ± halfWidth}. */
    public static Interval around(double center, double halfWidth) {
        Validate.nonNegative("halfWidth", halfWidth);
        return new Interval(center - halfWidth, center + halfWidth);
    }

    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    public double width() {
        return upper - lower;
    }
}
