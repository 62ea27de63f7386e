package dev.modelgate.experiments.stats.power;

import dev.modelgate.experiments.stats.Validate;
import dev.modelgate.experiments.stats.sequential.AsymptoticConfidenceSequence;
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
 * The {@code sequential...} methods plan for the always-valid test instead, read at any time and tuned to
 * the plan ({@link AsymptoticConfidenceSequence#tunedTo}): at the planned sample its interval is
 * {@code θ ± c·SE} with {@code c} = {@link AsymptoticConfidenceSequence#criticalValueAtTuning} (3.035 at
 * α = 0.05), so {@code z_{1-α/2}} becomes {@code c}, and the variance is the unpooled one the sequence uses:
 * {@code n = (c + z_{power})² (p1 q1 + p2 q2) / δ²} and {@code n = 2 σ² (c + z_{power})² / δ²}, about 1.9
 * times the fixed-horizon sample at α = 0.05 and 80 % power. That is the power of the last look alone; the
 * looks before it only add to it (measured in {@code SequentialPlanSimulationTest}).
 * Results are rounded up to whole units.
 */
public final class SampleSizeCalculator {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);

    private final double zAlpha;
    private final double zPower;
    private final double sequentialCritical;

    /**
     * @param alpha two-sided significance level
     * @param power probability of detecting an effect of exactly the MDE, typically 0.8
     */
    public SampleSizeCalculator(double alpha, double power) {
        Validate.openUnitInterval("alpha", alpha);
        Validate.openUnitInterval("power", power);
        this.zAlpha = STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha / 2.0);
        this.zPower = STANDARD_NORMAL.inverseCumulativeProbability(power);
        this.sequentialCritical = AsymptoticConfidenceSequence.criticalValueAtTuning(alpha);
    }

    /** @param baselineRate control conversion rate, in (0, 1) */
    public long unitsPerVariantForProportion(double baselineRate, Mde mde) {
        double delta = proportionDelta(baselineRate, mde);
        double treatmentRate = baselineRate + delta;
        double meanRate = (baselineRate + treatmentRate) / 2.0;
        double root = zAlpha * Math.sqrt(2.0 * meanRate * (1.0 - meanRate))
                + zPower * Math.sqrt(baselineRate * (1.0 - baselineRate) + treatmentRate * (1.0 - treatmentRate));
        return (long) Math.ceil(root * root / (delta * delta));
    }

    /** As {@link #unitsPerVariantForProportion}, for the always-valid test tuned to the result. */
    public long sequentialUnitsPerVariantForProportion(double baselineRate, Mde mde) {
        double delta = proportionDelta(baselineRate, mde);
        double treatmentRate = baselineRate + delta;
        double z = sequentialCritical + zPower;
        return (long) Math.ceil(z * z * (baselineRate * (1.0 - baselineRate) + treatmentRate * (1.0 - treatmentRate))
                / (delta * delta));
    }

    /**
     * @param baselineMean      control mean, used only when the MDE is relative
     * @param standardDeviation per-unit standard deviation of the metric (from history or the running arms)
     */
    public long unitsPerVariantForMean(double baselineMean, double standardDeviation, Mde mde) {
        return unitsForMean(baselineMean, standardDeviation, mde, zAlpha + zPower);
    }

    /** As {@link #unitsPerVariantForMean}, for the always-valid test tuned to the result. */
    public long sequentialUnitsPerVariantForMean(double baselineMean, double standardDeviation, Mde mde) {
        return unitsForMean(baselineMean, standardDeviation, mde, sequentialCritical + zPower);
    }

    /** The MDE as a difference of rates; both rates must lie in (0, 1). */
    private static double proportionDelta(double baselineRate, Mde mde) {
        Validate.openUnitInterval("baselineRate", baselineRate);
        double delta = mde.absoluteOn(baselineRate);
        Validate.openUnitInterval("baselineRate + mde", baselineRate + delta);
        return delta;
    }

    private static long unitsForMean(double baselineMean, double standardDeviation, Mde mde, double z) {
        Validate.finite("baselineMean", baselineMean);
        Validate.positive("standardDeviation", standardDeviation);
        double delta = mde.absoluteOn(baselineMean);
        if (delta == 0.0) {
            throw new IllegalArgumentException("baselineMean must be non-zero for a relative mde");
        }
        return (long) Math.ceil(2.0 * standardDeviation * standardDeviation * z * z / (delta * delta));
    }
}
