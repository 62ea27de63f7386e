package dev.modelgate.drift.evaluate;

/**
 * The comparison of one feature's current window with its reference.
 *
 * @param statistic the test statistic or distance
 * @param pValue the test's p-value; NaN for distances
 * @param adjustedPValue the p-value after Benjamini–Hochberg across the dataset's p-value tests
 *     (equal to {@code pValue} for a feature compared on its own); NaN for distances
 * @param threshold significance level (p-value methods) or distance cut-off
 * @param drifted {@code adjustedPValue < threshold} for tests, {@code statistic >= threshold} for distances
 * @param nReference reference observations behind the statistic (the reservoir sample for KS,
 *     Wasserstein and numeric bins; every reference value for categories)
 * @param nCurrent current observations compared
 */
public record FeatureDrift(String feature, DriftMethod method, double statistic, double pValue, double adjustedPValue,
                           double threshold, boolean drifted, long nReference, long nCurrent) {

    public FeatureDrift {
        if (feature == null || method == null) {
            throw new IllegalArgumentException("feature and method must not be null");
        }
        if (method.isPValueBased() == Double.isNaN(pValue)) {
            throw new IllegalArgumentException("pValue must be " + (method.isPValueBased() ? "a number" : "NaN")
                    + " for " + method + ", was " + pValue);
        }
    }

    static FeatureDrift ofTest(String feature, MethodChoice choice, double statistic, double pValue,
                               long nReference, long nCurrent) {
        return new FeatureDrift(feature, choice.method(), statistic, pValue, pValue, choice.threshold(),
                pValue < choice.threshold(), nReference, nCurrent);
    }

    static FeatureDrift ofDistance(String feature, MethodChoice choice, double distance, long nReference, long nCurrent) {
        return new FeatureDrift(feature, choice.method(), distance, Double.NaN, Double.NaN, choice.threshold(),
                distance >= choice.threshold(), nReference, nCurrent);
    }

    /** The same result judged on a multiplicity-adjusted p-value. */
    FeatureDrift withAdjustedPValue(double adjusted) {
        return new FeatureDrift(feature, method, statistic, pValue, adjusted, threshold, adjusted < threshold,
                nReference, nCurrent);
    }
}
