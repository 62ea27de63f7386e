package dev.modelgate.statistics.quality;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * One-sided tests that a metric of the current window is worse than the baseline's, the two being
 * independent samples: a z-test on the difference of two estimates with their standard errors (for
 * the AUC with DeLong variances, the unpaired comparison of Hanley and McNeil 1983), and the pooled
 * two-proportion z-test for proportions such as accuracy.
 *
 * @param alpha the false-alarm rate of one test, e.g. 0.01
 */
public record DegradationTest(double alpha) {

    private static final NormalDistribution NORMAL = new NormalDistribution();

    public DegradationTest {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
        }
    }

    /** For estimates with standard errors: {@code z = (worse-direction difference) / √(se_b² + se_c²)}. */
    public Degradation estimates(MetricEstimate baseline, MetricEstimate current, boolean higherIsBetter) {
        double difference = higherIsBetter ? baseline.value() - current.value() : current.value() - baseline.value();
        double se = Math.sqrt(baseline.standardError() * baseline.standardError() + current.standardError() * current.standardError());
        return outcome(baseline.value(), current.value(), difference, difference / se);
    }

    /** Pooled two-proportion z-test of {@code kb/nb} (baseline) against {@code kc/nc}, higher being better. */
    public Degradation proportions(long kb, long nb, long kc, long nc) {
        if (nb == 0 || nc == 0) {
            return outcome(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double pb = (double) kb / nb;
        double pc = (double) kc / nc;
        double pooled = (double) (kb + kc) / (nb + nc);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nb + 1.0 / nc));
        return outcome(pb, pc, pb - pc, (pb - pc) / se);
    }

    private Degradation outcome(double baseline, double current, double difference, double z) {
        if (!Double.isFinite(z)) {
            return new Degradation(baseline, current, difference, Double.NaN, Double.NaN, false);
        }
        double p = 1 - NORMAL.cumulativeProbability(z);
        return new Degradation(baseline, current, difference, z, p, p < alpha);
    }
}
