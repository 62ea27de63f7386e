package dev.modelgate.drift.evaluate;

/** The comparisons available for one feature, with Evidently's default thresholds. */
public enum DriftMethod {
    /** Two-sample Kolmogorov–Smirnov on the reference sample; drifted when p &lt; threshold. */
    KOLMOGOROV_SMIRNOV(true, 0.05, true),
    /** Chi-square goodness of fit of current counts against reference cell frequencies. */
    CHI_SQUARE(true, 0.05, false),
    /** Wasserstein-1 distance divided by the reference standard deviation; drifted when ≥ threshold. */
    WASSERSTEIN_NORMED(false, 0.1, true),
    /** Population Stability Index over reference-quantile bins or categories. */
    PSI(false, 0.1, false),
    /** Jensen–Shannon distance (natural log) over reference-quantile bins or categories. */
    JENSEN_SHANNON(false, 0.1, false);

    private final boolean pValueBased;
    private final double defaultThreshold;
    private final boolean numericOnly;

    DriftMethod(boolean pValueBased, double defaultThreshold, boolean numericOnly) {
        this.pValueBased = pValueBased;
        this.defaultThreshold = defaultThreshold;
        this.numericOnly = numericOnly;
    }

    /** True when the threshold applies to a p-value (drift below it), false for a distance (drift at or above). */
    public boolean isPValueBased() {
        return pValueBased;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** True when the method needs raw numeric values rather than cell counts. */
    public boolean isNumericOnly() {
        return numericOnly;
    }
}
