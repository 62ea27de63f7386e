package dev.modelgate.statistics.quality;

/**
 * Regression metrics from {@link RegressionSums}: MAE, RMSE, MAPE (as a fraction, like scikit-learn)
 * and R² = 1 − SSE / SST with their standard errors.
 *
 * <p>MAE and MAPE are means of per-row values, so their errors are {@code s / √n}. RMSE's follows from
 * the MSE's by the delta method, {@code se(MSE) / (2 RMSE)}. R²'s uses its influence function
 * {@code IF_i = [−(e_i² − MSE) + (MSE / V)((y_i − ȳ)² − V)] / V} (V the label variance with
 * denominator n), whose sum of squares expands into the sums the window provides:
 * {@code se² = Σ IF_i² / n²}.
 */
public record RegressionQuality(Confidence confidence) {

    public RegressionReport evaluate(RegressionSums s) {
        long n = s.n();
        double z = confidence.z();
        if (n == 0) {
            MetricEstimate none = MetricEstimate.undefined(0);
            return new RegressionReport(0, none, none, none, none);
        }
        MetricEstimate mae = new MeanLoss(n, s.absoluteError(), s.squaredError()).estimate(confidence);
        MetricEstimate mape = new MeanLoss(n, s.absolutePercentageError(), s.squaredPercentageError()).estimate(confidence);
        MeanLoss squared = new MeanLoss(n, s.squaredError(), s.fourthPowerError());
        double rmse = Math.sqrt(squared.mean());
        MetricEstimate rmseEstimate = MetricEstimate.normal(rmse, rmse == 0 ? Double.NaN : squared.standardError() / (2 * rmse), n, z, 0,
                Double.POSITIVE_INFINITY);
        return new RegressionReport(n, mae, rmseEstimate, mape, r2(s, z));
    }

    private static MetricEstimate r2(RegressionSums s, double z) {
        long n = s.n();
        double mean = s.label() / n;
        double mse = s.squaredError() / n;
        double variance = s.squaredLabel() / n - mean * mean;
        if (!(variance > 0)) {
            return MetricEstimate.undefined(n);
        }
        double r2 = 1 - mse / variance;
        double ratio = mse / variance;
        // Σ (e² − MSE)², Σ ((y − ȳ)² − V)² and Σ (e² − MSE)((y − ȳ)² − V) from raw sums
        double errorSpread = s.fourthPowerError() - n * mse * mse;
        double centredFourth = s.fourthPowerLabel() - 4 * mean * s.cubedLabel() + 6 * mean * mean * s.squaredLabel()
                - 4 * mean * mean * mean * s.label() + n * Math.pow(mean, 4);
        double labelSpread = centredFourth - n * variance * variance;
        double cross = s.squaredErrorTimesSquaredLabel() - 2 * mean * s.squaredErrorTimesLabel() + mean * mean * s.squaredError()
                - n * mse * variance;
        double influenceSquares = Math.max(0, errorSpread - 2 * ratio * cross + ratio * ratio * labelSpread);
        double se = Math.sqrt(influenceSquares) / (n * variance);
        return MetricEstimate.normal(r2, se, n, z, Double.NEGATIVE_INFINITY, 1);
    }
}
