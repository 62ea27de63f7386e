package dev.modelgate.experiments.stats;

/** Argument checks whose messages name the offending field, shared by the statistics records. */
public final class Validate {

    private Validate() {
    }

    /** Requires {@code 0 < value < 1}, e.g. a significance level or a power. */
    public static double openUnitInterval(String field, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(field + " must be in (0, 1), was " + value);
        }
        return value;
    }

    public static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite, was " + value);
        }
        return value;
    }

    public static double nonNegative(String field, double value) {
        if (!(finite(field, value) >= 0.0)) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
        return value;
    }

    public static double positive(String field, double value) {
        if (!(finite(field, value) > 0.0)) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
        return value;
    }

    public static long atLeast(String field, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + " must be >= " + minimum + ", was " + value);
        }
        return value;
    }
}
