package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.fixed.TwoProportionZTest;
import org.apache.commons.math3.special.Erf;

/**
 * The error-rate gate: is the candidate's error rate above the baseline's by more than the gate, and is
 * that excess real rather than noise? Significance is a one-sided pooled two-proportion z-test of
 * H0: p_candidate <= p_baseline, so a handful of unlucky errors at small n never rolls back.
 * Rates and the increase are in percent / percentage points; z and p are NaN when a variant has no requests.
 *
 * @param baselineErrorPercent  baseline error rate, percent
 * @param candidateErrorPercent candidate error rate, percent
 * @param increasePoints        candidate minus baseline, percentage points
 * @param maxIncreasePoints     the gate, percentage points
 * @param zScore                z statistic of the one-sided test
 * @param pValue                one-sided p-value
 * @param alpha                 significance level
 */
public record ErrorRateCheck(double baselineErrorPercent, double candidateErrorPercent, double increasePoints,
                             double maxIncreasePoints, double zScore, double pValue, double alpha) {

    static ErrorRateCheck of(VariantWindow baseline, VariantWindow candidate, double maxIncreasePoints, double alpha) {
        double baselinePercent = baseline.errorPercent();
        double candidatePercent = candidate.errorPercent();
        double z = zScore(baseline, candidate);
        // Upper tail through erfc rather than 1 - cdf(z), which cancels to 0 for the large z of a broken candidate.
        double p = 0.5 * Erf.erfc(z / Math.sqrt(2.0));
        return new ErrorRateCheck(baselinePercent, candidatePercent, candidatePercent - baselinePercent,
                maxIncreasePoints, z, p, alpha);
    }

    private static double zScore(VariantWindow baseline, VariantWindow candidate) {
        if (baseline.requests() == 0 || candidate.requests() == 0) {
            return Double.NaN;
        }
        // alpha only shapes the test's confidence intervals, which the gate does not use
        return new TwoProportionZTest(0.05).test(
                new ProportionSummary(baseline.requests(), baseline.errors()),
                new ProportionSummary(candidate.requests(), candidate.errors())).statistic();
    }

    /** The observed excess is above the gate (whether or not it is significant yet). */
    public boolean exceedsGate() {
        return increasePoints > maxIncreasePoints;
    }

    /** Above the gate and significant: grounds for a rollback. */
    public boolean breached() {
        return exceedsGate() && pValue < alpha;
    }
}
