package dev.modelgate.experiments.stats.fixed;

import dev.modelgate.experiments.stats.Differences;
import dev.modelgate.experiments.stats.Estimate;
import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.Validate;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Two-proportion z-test for binary metrics.
 *
 * <p>The test statistic uses the <em>pooled</em> standard error, which is the standard error under the
 * null hypothesis {@code p_t = p_c}; the confidence intervals use the <em>unpooled</em> one, because
 * under the alternative the two rates differ. This is why a p-value just below alpha can come with an
 * interval that just touches zero. Commons Math has no two-proportion test, hence the few lines here.
 */
public final class TwoProportionZTest {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);

    private final double criticalValue;

    /** @param alpha two-sided significance level; intervals have confidence {@code 1 - alpha} */
    public TwoProportionZTest(double alpha) {
        Validate.openUnitInterval("alpha", alpha);
        this.criticalValue = STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha / 2.0);
    }

    public FixedHorizonResult test(ProportionSummary control, ProportionSummary treatment) {
        Estimate absolute = Differences.absolute(control, treatment);
        double z = absolute.value() == 0.0 ? 0.0 : absolute.value() / pooledStandardError(control, treatment);
        double pValue = 2.0 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
        return new FixedHorizonResult(z, pValue,
                absolute.withHalfWidth(criticalValue * absolute.standardError()),
                Differences.relative(control, treatment)
                        .map(lift -> lift.withHalfWidth(criticalValue * lift.standardError())));
    }

    private static double pooledStandardError(ProportionSummary control, ProportionSummary treatment) {
        double pooled = (double) (control.successes() + treatment.successes()) / (control.n() + treatment.n());
        return Math.sqrt(pooled * (1.0 - pooled) * (1.0 / control.n() + 1.0 / treatment.n()));
    }
}
