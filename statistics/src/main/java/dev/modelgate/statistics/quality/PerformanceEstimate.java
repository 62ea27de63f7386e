package dev.modelgate.statistics.quality;

/**
 * What confidence-based performance estimation expects of a window without its labels. Each
 * estimate's standard error is the spread of the realised metric around it if the scores are
 * calibrated; its interval is where the realised value should fall.
 *
 * @param expectedPositives {@code Σ p}: the positives the scores promise
 */
public record PerformanceEstimate(long n, double expectedPositives, MetricEstimate rocAuc, MetricEstimate accuracy,
                                  MetricEstimate precision, MetricEstimate recall, MetricEstimate f1) {
}
