package dev.modelgate.drift.stats;

import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Pearson chi-square goodness of fit of observed counts against expected proportions (SciPy
 * {@code chisquare(f_obs, f_exp)} with f_exp scaled to the observed total), via Commons Math.
 * The expected proportions are treated as known exactly, as Evidently does with reference frequencies.
 * The p-value is the upper regularised gamma function Q(k/2, χ²/2) rather than Commons Math's
 * {@code chiSquareTest}, which returns {@code 1 − cdf} and so loses relative precision in the tail
 * (3·10⁻⁵ at p ≈ 5·10⁻¹³), where multiple-testing corrections multiply p-values.
 */
public final class ChiSquareGoodnessOfFit {

    private final ChiSquareTest commonsMath = new ChiSquareTest();

    /**
     * @param expected positive expected weights per cell (any scale)
     * @param observed observed counts per cell
     */
    public TestOutcome test(double[] expected, long[] observed) {
        if (expected.length != observed.length) {
            throw new IllegalArgumentException(
                    "expected and observed must have the same number of cells: " + expected.length + " vs " + observed.length);
        }
        if (expected.length == 1) {
            // A single cell cannot differ from its expectation (zero degrees of freedom).
            return new TestOutcome(0.0, 1.0);
        }
        double statistic = commonsMath.chiSquare(expected, observed);
        double degreesOfFreedom = expected.length - 1.0;
        return new TestOutcome(statistic, Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0));
    }
}
