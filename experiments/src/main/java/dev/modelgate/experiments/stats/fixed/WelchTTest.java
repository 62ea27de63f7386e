package dev.modelgate.experiments.stats.fixed;

import dev.modelgate.experiments.stats.Differences;
import dev.modelgate.experiments.stats.Estimate;
import dev.modelgate.experiments.stats.MeanSummary;
import dev.modelgate.experiments.stats.Validate;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's unequal-variance t-test for continuous metrics, from sufficient statistics.
 *
 * <p>Commons Math's {@code TTest} computes the same statistic and p-value but does not expose the
 * Welch-Satterthwaite degrees of freedom that the confidence interval needs, so both are derived here
 * from one formula. The lift interval uses the same t quantile as the absolute interval, so the two
 * agree on significance in large samples, where the delta method is valid anyway.
 */
public final class WelchTTest {

    private final double alpha;

    /** @param alpha two-sided significance level; intervals have confidence {@code 1 - alpha} */
    public WelchTTest(double alpha) {
        this.alpha = Validate.openUnitInterval("alpha", alpha);
    }

    public FixedHorizonResult test(MeanSummary control, MeanSummary treatment) {
        Estimate absolute = Differences.absolute(control, treatment);
        if (absolute.variance() == 0.0) {
            throw new IllegalArgumentException("variance must be > 0 in at least one arm, both arms are constant");
        }
        TDistribution t = new TDistribution(null, welchDegreesOfFreedom(control, treatment));
        double statistic = absolute.value() / absolute.standardError();
        double pValue = 2.0 * t.cumulativeProbability(-Math.abs(statistic));
        double criticalValue = t.inverseCumulativeProbability(1.0 - alpha / 2.0);
        return new FixedHorizonResult(statistic, pValue,
                absolute.withHalfWidth(criticalValue * absolute.standardError()),
                Differences.relative(control, treatment)
                        .map(lift -> lift.withHalfWidth(criticalValue * lift.standardError())));
    }

    /** Welch-Satterthwaite: {@code (V_c + V_t)^2 / (V_c^2/(n_c-1) + V_t^2/(n_t-1))}. */
    static double welchDegreesOfFreedom(MeanSummary control, MeanSummary treatment) {
        double vc = control.varianceOfMean();
        double vt = treatment.varianceOfMean();
        return (vc + vt) * (vc + vt) / (vc * vc / (control.n() - 1) + vt * vt / (treatment.n() - 1));
    }
}
