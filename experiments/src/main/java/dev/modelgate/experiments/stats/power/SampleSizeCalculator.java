package dev.modelgate.experiments.stats.power;

import dev.modelgate.experiments.stats.Validate;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Units needed per variant for a two-sided two-sample test to detect a given effect with a given power
 * (normal approximation, equal allocation). Commons Math has no power functions, so the textbook formulas
 * are written out:
 * <ul>
 *   <li>proportions, matching the pooled z-test of {@code TwoProportionZTest} (Fleiss, Levin, Paik,
 *       "Statistical Methods for Rates and Proportions", ch. 4, without continuity correction):
 *       {@code n = (z_{1-α/2} sqrt(2 p̄ q̄) + z_{power} sqrt(p1 q1 + p2 q2))² / δ²};</li>
 *   <li>means, for the Welch test with equal variances: {@code n = 2 σ² (z_{1-α/2} + z_{power})² / δ²}.</li>
 * </ul>
 * Results are rounded up to whole units.
 */
public final class SampleSizeCalculator {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);

    private final double zAlpha;
    private final double zPower;

    /**
     * @param alpha two-sided significance level
     * @param power probability of detecting an effect of exactly the MDE, typically 0.8
     */
    public SampleSizeCalculator(double alpha, double power) {
        Validate.openUnitInterval("alpha", alpha);
        Validate.openUnitInterval("power", power);
        this.zAlpha = STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha / 2.0);
        this.zPower = STANDARD_NORMAL.inverseCumulativeProbability(power);
    }

    /** @param baselineRate control conversion rate, in (0, 1) */
    public long unitsPerVariantForProportion(double baselineRate, Mde mde) {
        Validate.openUnitInterval("baselineRate", baselineRate);
        double delta = mde.absoluteOn(baselineRate);
        double treatmentRate = Validate.openUnitInterval("baselineRate + mde", baselineRate + delta);
        double meanRate = (baselineRate + treatmentRate) / 2.0;
        double root = zAlpha * Math.sqrt(2.0 * meanRate * (1.0 - meanRate))
                + zPower * Math.sqrt(baselineRate * (1.0 - baselineRate) + treatmentRate * (1.0 - treatmentRate));
        return (long) Math.ceil(root * root / (delta * delta));
    }

    /**
     * @param baselineMean      control mean, used only when the MDE is relative
     * @param standardDeviation per-unit standard deviation of the metric (from history or the running arms)
     */
    public long unitsPerVariantForMean(double baselineMean, double standardDeviation, Mde mde) {
        Validate.finite("baselineMean", baselineMean);
        Validate.positive("standardDeviation", standardDeviation);
        double delta = mde.absoluteOn(baselineMean);
        if (delta == 0.0) {
            throw new IllegalArgumentException("baselineMean must be non-zero for a relative mde");
        }
        double z = zAlpha + zPower;
        return (long) Math.ceil(2.0 * standardDeviation * standardDeviation * z * z / (delta * delta));
    }
}
