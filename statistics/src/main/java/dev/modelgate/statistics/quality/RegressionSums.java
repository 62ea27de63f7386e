package dev.modelgate.statistics.quality;

/**
 * The sums over a window's labelled rows (label y, prediction ŷ, error e = y − ŷ) from which every
 * regression metric and its interval follow; a database computes them in one pass.
 *
 * @param absoluteError Σ|e|
 * @param squaredError Σe²
 * @param fourthPowerError Σe⁴
 * @param absolutePercentageError Σ |e| / max(|y|, ε), ε the machine epsilon (scikit-learn's MAPE)
 * @param squaredPercentageError Σ (|e| / max(|y|, ε))²
 * @param squaredErrorTimesLabel Σ e²·y
 * @param squaredErrorTimesSquaredLabel Σ e²·y²
 */
public record RegressionSums(long n, double absoluteError, double squaredError, double fourthPowerError,
                             double absolutePercentageError, double squaredPercentageError, double label, double squaredLabel,
                             double cubedLabel, double fourthPowerLabel, double squaredErrorTimesLabel,
                             double squaredErrorTimesSquaredLabel) {

    /** The ε of {@link #absolutePercentageError}: {@code np.finfo(np.float64).eps}. */
    public static final double EPSILON = Math.ulp(1.0);
}
