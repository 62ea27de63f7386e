package dev.modelgate.experiments.stats.bayes;

import dev.modelgate.experiments.stats.Validate;

/**
 * @param chanceToBeatControl    posterior {@code P(p_t > p_c)}
 * @param expectedLossTreatment  {@code E[max(p_c - p_t, 0)]}: conversion rate given up, on average, by
 *                               shipping the treatment if it is in fact worse
 * @param expectedLossControl    {@code E[max(p_t - p_c, 0)]}: the same for keeping the control
 */
public record BayesianResult(double chanceToBeatControl, double expectedLossTreatment, double expectedLossControl) {

    public BayesianResult {
        Validate.nonNegative("chanceToBeatControl", chanceToBeatControl);
        Validate.nonNegative("expectedLossTreatment", expectedLossTreatment);
        Validate.nonNegative("expectedLossControl", expectedLossControl);
    }
}
