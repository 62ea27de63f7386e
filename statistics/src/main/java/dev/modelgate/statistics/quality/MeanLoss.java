package dev.modelgate.statistics.quality;

/**
 * A mean of per-row losses from its sums: the estimate, and the normal interval with the standard
 * error {@code s / √n} (sample standard deviation, n − 1 degrees of freedom). Adding sums is exact,
 * so a database can compute them.
 */
public record MeanLoss(long n, double sum, double sumOfSquares) {

    public double mean() {
        return n == 0 ? Double.NaN : sum / n;
    }

    public double standardError() {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / n);
    }

    public MetricEstimate estimate(Confidence confidence) {
        return MetricEstimate.normal(mean(), standardError(), n, confidence.z(), 0, Double.POSITIVE_INFINITY);
    }

    MeanLoss add(long rows, double loss) {
        return new MeanLoss(n + rows, sum + rows * loss, sumOfSquares + rows * loss * loss);
    }

    static final MeanLoss EMPTY = new MeanLoss(0, 0, 0);
}
