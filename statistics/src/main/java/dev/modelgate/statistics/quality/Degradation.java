package dev.modelgate.statistics.quality;

/**
 * The outcome of a one-sided test of "the current window is worse than the baseline".
 *
 * @param difference how much worse, in the metric's units (positive = worse)
 * @param z the test statistic; NaN when either side lacks a standard error
 * @param pValue one-sided; NaN when the test could not be made
 */
public record Degradation(double baseline, double current, double difference, double z, double pValue, boolean degraded) {
}
