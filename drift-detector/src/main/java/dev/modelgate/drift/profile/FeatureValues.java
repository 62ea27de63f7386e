package dev.modelgate.drift.profile;

/**
 * Turns raw row values (as a JSON or CSV reader produces them) into what the comparisons use, so
 * reference and current data are read by the same rules.
 */
public final class FeatureValues {

    private FeatureValues() {
    }

    /** True for null and NaN, which count as missing rather than as a value. */
    public static boolean isMissing(Object value) {
        return value == null || (value instanceof Number && Double.isNaN(((Number) value).doubleValue()));
    }

    /** A numeric value: a Number, or text holding one (CSV input). */
    public static double numeric(String feature, Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            try {
                return Double.parseDouble(((String) value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feature '" + feature + "' is numeric but got '" + value + "'", e);
            }
        }
        throw new IllegalArgumentException("feature '" + feature + "' is numeric but got " + value.getClass().getSimpleName());
    }

    /**
     * A category label. Whole numbers print without a fraction so that 3 from one JSON reader and
     * 3.0 from another land in the same category.
     */
    public static String category(Object value) {
        if (value instanceof Number) {
            return numericCategory(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    /** The category label of a numeric value, used when a binary numeric feature is compared as categorical. */
    public static String numericCategory(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    static FeatureType inferType(Object value) {
        return value instanceof Number ? FeatureType.NUMERIC : FeatureType.CATEGORICAL;
    }
}
