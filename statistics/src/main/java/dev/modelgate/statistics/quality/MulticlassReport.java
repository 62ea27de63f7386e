package dev.modelgate.statistics.quality;

/**
 * Quality of a multiclass classifier on one window: accuracy (Wilson interval), macro-averaged F1
 * (bootstrap) and log loss of the true class's probability (normal interval).
 */
public record MulticlassReport(long n, int classes, MetricEstimate accuracy, MetricEstimate macroF1, MetricEstimate logLoss) {
}
