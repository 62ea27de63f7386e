package dev.modelgate.experiments.stats.bayes;

import dev.modelgate.experiments.stats.Validate;

/**
 * Read in the metric's direction: "better" means a higher rate, or a lower one for a lower-is-better metric.
 *
 * @param chanceToBeatControl    posterior probability that the treatment's rate is better than the control's:
 *                               {@code P(p_t > p_c)}, or {@code P(p_t < p_c)} when lower is better
 * @param expectedLossTreatment  expected amount by which the treatment is worse, {@code E[max(p_c - p_t, 0)]}
 *                               (lower is better: {@code E[max(p_t - p_c, 0)]}): rate given up, on average, by
 *                               shipping the treatment if it is in fact worse
 * @param expectedLossControl    the same for keeping the control
 */
public record BayesianResult(double chanceToBeatControl, double expectedLossTreatment, double expectedLossControl) {

    public BayesianResult {
        Validate.nonNegative("chanceToBeatControl", chanceToBeatControl);
        Validate.nonNegative("expectedLossTreatment", expectedLossTreatment);
        Validate.nonNegative("expectedLossControl", expectedLossControl);
    }
}
