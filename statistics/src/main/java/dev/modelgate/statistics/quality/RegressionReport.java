package dev.modelgate.statistics.quality;

/** Quality of a regression model on one window; every interval is normal (delta method). */
public record RegressionReport(long n, MetricEstimate mae, MetricEstimate rmse, MetricEstimate mape, MetricEstimate r2) {
}
