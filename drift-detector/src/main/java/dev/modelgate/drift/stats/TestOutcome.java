package dev.modelgate.drift.stats;

/**
 * A hypothesis test's statistic and its p-value.
 *
 * @param statistic the test statistic (KS: the sup distance D; chi-square: the Pearson statistic)
 * @param pValue probability under the null of a statistic at least as extreme, in [0, 1]
 */
public record TestOutcome(double statistic, double pValue) {
    public TestOutcome {
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException("statistic must be a number");
        }
        if (!(pValue >= 0.0 && pValue <= 1.0)) {
            throw new IllegalArgumentException("pValue must be in [0, 1], was " + pValue);
        }
    }
}
