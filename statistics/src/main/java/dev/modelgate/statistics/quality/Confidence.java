package dev.modelgate.statistics.quality;

import org.apache.commons.math3.distribution.NormalDistribution;

/** Confidence level of every interval of a report, e.g. 0.95. */
public record Confidence(double level) {

    public static final Confidence NINETY_FIVE = new Confidence(0.95);

    public Confidence {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), was " + level);
        }
    }

    /** The two-sided normal quantile, 1.959963984540054 for 95%. */
    public double z() {
        return new NormalDistribution().inverseCumulativeProbability(1 - (1 - level) / 2);
    }

    /**
     * Wilson score interval of {@code k} successes in {@code n} trials (Wilson 1927; what
     * {@code scipy.stats.binomtest(k, n).proportion_ci(method="wilson")} returns).
     */
    public MetricEstimate wilson(long k, long n) {
        if (n == 0) {
            return MetricEstimate.undefined(0);
        }
        double z = z();
        double p = (double) k / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new MetricEstimate(p, Math.max(0, centre - half), Math.min(1, centre + half), Math.sqrt(p * (1 - p) / n), n);
    }
}
