package dev.modelgate.statistics.quality;

import java.util.List;

/**
 * Quality of a binary classifier on one window of labelled rows. Intervals: DeLong for ROC AUC, Wilson
 * for accuracy, precision and recall, normal for the mean losses, percentile bootstrap for PR AUC, F1
 * and ECE.
 *
 * @param threshold rows with {@code score >= threshold} are predicted positive
 */
public record BinaryReport(long n, long positives, double threshold, MetricEstimate rocAuc, MetricEstimate prAuc,
                           MetricEstimate logLoss, MetricEstimate brier, MetricEstimate accuracy, MetricEstimate precision,
                           MetricEstimate recall, MetricEstimate f1, MetricEstimate expectedCalibrationError,
                           List<ReliabilityBin> reliability, Confusion confusion) {

    public BinaryReport {
        reliability = List.copyOf(reliability);
    }
}
