package dev.modelgate.experiments.stats.srm;

import dev.modelgate.experiments.stats.Validate;

/**
 * @param chiSquare   Pearson chi-square statistic of observed vs expected units per variant
 * @param pValue      its p-value with {@code variants - 1} degrees of freedom
 * @param trustworthy false while the alarm fires ({@code pValue} below the alarm threshold): the split is
 *                    broken (bucketing bug, bot filtering, redirects...), so the metric results are biased
 */
public record SrmResult(double chiSquare, double pValue, boolean trustworthy) {

    public SrmResult {
        Validate.nonNegative("chiSquare", chiSquare);
        Validate.nonNegative("pValue", pValue);
    }
}
