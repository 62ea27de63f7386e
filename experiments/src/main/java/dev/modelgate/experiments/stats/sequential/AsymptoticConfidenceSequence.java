package dev.modelgate.experiments.stats.sequential;

import dev.modelgate.experiments.stats.Differences;
import dev.modelgate.experiments.stats.Estimate;
import dev.modelgate.experiments.stats.SampleStatistics;
import dev.modelgate.experiments.stats.Validate;

/**
 * Asymptotic confidence sequences for a difference of means (Waudby-Smith, Arbour, Sinha, Kennedy,
 * Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences", 2021/2023,
 * arXiv:2103.06476), parameterised as GrowthBook's sequential engine does.
 *
 * <p>With {@code N = n_c + n_t} units in total, an estimate {@code θ} whose estimator has variance
 * {@code V} (so {@code σ² = V·N} per observation) and mixing parameter {@code ρ}, the two-sided
 * {@code 1 - α} sequence is (paper eq. 9, two-sided form)
 * <pre>
 *   θ ± σ · sqrt( 2(Nρ² + 1) / (N²ρ²) · ln( sqrt(Nρ² + 1) / α ) )
 * </pre>
 * and {@code ρ} is chosen so that the sequence is tightest at the tuning sample size {@code N*}
 * (paper eq. 161): {@code ρ = sqrt( (-2 ln α + ln(-2 ln α + 1)) / N* )}. GrowthBook's default is
 * {@code N* = 5000}; like GrowthBook's tuning parameter and the mSPRT literature (Johari et al. §4, the
 * mixture matched to the effect sizes of interest), an experiment with a plan is tuned to its planned
 * sample instead ({@link #tunedTo}), where the sequence is narrowest: with N* = 5000 an experiment
 * planned for 30,000 units pays for width it does not need at the end.
 *
 * <p>At {@code N = N*}, {@code Nρ² = k = -2 ln α + ln(-2 ln α + 1)} whatever {@code N*} is, so the sequence
 * there is {@code θ ± c·SE} with a constant {@link #criticalValueAtTuning c} (3.035 for α = 0.05, against
 * 1.960 for a fixed-horizon interval): the price of being allowed to look at any time.
 *
 * <p>Always-valid p-value: keeping {@code ρ} fixed and solving the half-width for the {@code α} at which
 * it equals {@code |θ|} gives
 * <pre>
 *   p = min(1, sqrt(Nρ² + 1) · exp( -θ² N ρ² / (2 V (Nρ² + 1)) ))
 * </pre>
 * which is exactly {@code 1 / Λ} of the normal-mixture mSPRT with mixing variance {@code τ² = σ²ρ²}
 * (Johari, Koomen, Pekelis, Walsh, "Peeking at A/B tests", KDD 2017). So {@code p < α} exactly when the
 * sequence excludes zero. A caller that keeps history may report the running minimum of {@code p} and
 * the running intersection of the intervals, which stay valid (Johari et al. §3).
 *
 * <p>The guarantee holds uniformly over time: the chance that the sequence <em>ever</em> misses the true
 * difference is at most {@code α}, asymptotically in {@code N}.
 */
public final class AsymptoticConfidenceSequence {

    /** GrowthBook's default tuning sample size (DESIGN.md §6). */
    public static final double DEFAULT_TUNING_SAMPLE_SIZE = 5000.0;

    private final double alpha;
    private final double rhoSquared;

    public AsymptoticConfidenceSequence(double alpha) {
        this(alpha, DEFAULT_TUNING_SAMPLE_SIZE);
    }

    /**
     * @param alpha              two-sided level; the sequence covers with probability {@code 1 - alpha}
     * @param tuningSampleSize   total units {@code N*} at which the sequence should be tightest
     */
    public AsymptoticConfidenceSequence(double alpha, double tuningSampleSize) {
        this.alpha = Validate.openUnitInterval("alpha", alpha);
        Validate.positive("tuningSampleSize", tuningSampleSize);
        this.rhoSquared = rhoSquaredTimesTuning(alpha) / tuningSampleSize;
    }

    /** {@code k = N* ρ² = -2 ln α + ln(-2 ln α + 1)}, the same for every tuning sample size. */
    private static double rhoSquaredTimesTuning(double alpha) {
        double minusTwoLogAlpha = -2.0 * Math.log(alpha);
        return minusTwoLogAlpha + Math.log(minusTwoLogAlpha + 1.0);
    }

    /** Tightest at the planned sample: {@code unitsPerVariant} in each of the two arms compared. */
    public static AsymptoticConfidenceSequence tunedTo(double alpha, long unitsPerVariant) {
        Validate.atLeast("unitsPerVariant", unitsPerVariant, 1);
        return new AsymptoticConfidenceSequence(alpha, 2.0 * unitsPerVariant);
    }

    /**
     * {@code c} such that the sequence at its tuning sample size is {@code θ ± c·SE}:
     * {@code sqrt(2(k + 1)/k · ln(sqrt(k + 1)/α))} with {@code k = -2 ln α + ln(-2 ln α + 1)}.
     */
    public static double criticalValueAtTuning(double alpha) {
        Validate.openUnitInterval("alpha", alpha);
        double k = rhoSquaredTimesTuning(alpha);
        return Math.sqrt(2.0 * (k + 1.0) / k * Math.log(Math.sqrt(k + 1.0) / alpha));
    }

    public SequentialResult test(SampleStatistics control, SampleStatistics treatment) {
        long total = control.n() + treatment.n();
        Estimate absolute = Differences.absolute(control, treatment);
        return new SequentialResult(pValue(absolute, total),
                absolute.withHalfWidth(halfWidth(absolute, total)),
                Differences.relative(control, treatment).map(lift -> lift.withHalfWidth(halfWidth(lift, total))));
    }

    private double halfWidth(Estimate estimate, long total) {
        double nRho2 = total * rhoSquared;
        double perObservationVariance = estimate.variance() * total;
        return Math.sqrt(perObservationVariance * 2.0 * (nRho2 + 1.0) / (nRho2 * total)
                * Math.log(Math.sqrt(nRho2 + 1.0) / alpha));
    }

    private double pValue(Estimate estimate, long total) {
        double nRho2 = total * rhoSquared;
        double theta = estimate.value();
        if (theta == 0.0) {
            return 1.0;
        }
        if (estimate.variance() == 0.0) {
            return 0.0;
        }
        double logP = 0.5 * Math.log(nRho2 + 1.0) - theta * theta * nRho2 / (2.0 * estimate.variance() * (nRho2 + 1.0));
        return Math.min(1.0, Math.exp(logP));
    }
}
