package dev.modelgate.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Reference values: SciPy 1.17.1 {@code scipy.stats.ks_2samp} (method='auto' unless noted).
 */
class KolmogorovSmirnovTest {

    private final KolmogorovSmirnov ks = new KolmogorovSmirnov();

    @Test
    void smallUnequalSamplesMatchScipyExact() {
        // >>> a=[0.61,0.29,0.06,0.59,-1.73,-0.74,0.51,-0.56,0.39,1.64,0.05,-0.06,0.64,-0.82,0.37,1.77,1.09,-1.28,2.36,1.31,1.05,-0.32,-0.4,1.06,-2.47]
        // >>> b=[2.2,0.95,1.78,0.41,1.32,2.91,0.02,1.45,1.63,0.77,-0.12,1.99,1.09,0.58,2.47]
        // >>> ks_2samp(a,b)
        // KstestResult(statistic=0.4533333333333333, pvalue=0.030815135688068124, ...)
        double[] a = {0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
            1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47};
        double[] b = {2.2, 0.95, 1.78, 0.41, 1.32, 2.91, 0.02, 1.45, 1.63, 0.77, -0.12, 1.99, 1.09, 0.58, 2.47};
        TestOutcome outcome = ks.test(a, b);
        assertThat(outcome.statistic()).isCloseTo(0.4533333333333333, within(1e-12));
        assertThat(outcome.pValue()).isCloseTo(0.030815135688068124, withinPercentage(1e-7));
    }

    @Test
    void equalSizesMatchScipyExact() {
        // >>> ks_2samp([1.2,3.4,0.5,2.2,4.1,0.9,3.3,2.8,1.7,0.1], [2.5,4.4,3.9,5.1,1.8,3.6,4.8,2.9,6.0,3.1])
        // KstestResult(statistic=0.5, pvalue=0.16782134274394334, ...)
        TestOutcome outcome = ks.test(new double[] {1.2, 3.4, 0.5, 2.2, 4.1, 0.9, 3.3, 2.8, 1.7, 0.1},
                new double[] {2.5, 4.4, 3.9, 5.1, 1.8, 3.6, 4.8, 2.9, 6.0, 3.1});
        assertThat(outcome.statistic()).isEqualTo(0.5);
        assertThat(outcome.pValue()).isCloseTo(0.16782134274394334, withinPercentage(1e-7));
    }

    @Test
    void tiedValuesGiveScipysStatisticAndPValueWithoutJitter() {
        // >>> ks_2samp([1,2,2,3,3,3,4,5], [2,3,3,4,4,4,5,6,6])
        // KstestResult(statistic=0.4166666666666667, pvalue=0.35170711641299884, ...)
        double[] x = {1, 2, 2, 3, 3, 3, 4, 5};
        double[] y = {2, 3, 3, 4, 4, 4, 5, 6, 6};
        TestOutcome outcome = ks.test(x, y);
        assertThat(outcome.statistic()).isCloseTo(0.4166666666666667, within(1e-12));
        assertThat(outcome.pValue()).isCloseTo(0.35170711641299884, withinPercentage(1e-7));
        assertThat(ks.test(x, y)).isEqualTo(outcome);
    }

    @Test
    void hundredsOfValuesStayExactWhereCountingPathsWouldOverflow() {
        // Sample file header gives the numpy generator; n + m = 1100 overflows C(n+m, n) in doubles.
        // >>> ks_2samp(x, y)   # method='auto' chooses 'exact' because max(n, m) <= 10000
        // KstestResult(statistic=0.13428571428571429, pvalue=0.00018470154248205272, ...)
        double[][] xy = ReferenceSamples.normalVersusShifted();
        TestOutcome outcome = ks.test(xy[0], xy[1]);
        assertThat(outcome.statistic()).isCloseTo(0.13428571428571429, within(1e-12));
        assertThat(outcome.pValue()).isCloseTo(0.00018470154248205272, withinPercentage(1e-6));
    }

    @Test
    void largeSamplesUseTheAsymptoticDistributionLikeScipy() {
        // >>> xa = norm.ppf((np.arange(12000)+0.5)/12000); ya = norm.ppf((np.arange(15000)+0.5)/15000) + 0.03
        // >>> ks_2samp(xa, ya)   # max(n, m) > 10000, so 'auto' is 'asymp': kstwo.sf(d, round(n*m/(n+m)))
        // KstestResult(statistic=0.01203333333333334, pvalue=0.2868970952840183, ...)
        NormalDistribution normal = new NormalDistribution();
        double[] x = new double[12_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = normal.inverseCumulativeProbability((i + 0.5) / x.length);
        }
        double[] y = new double[15_000];
        for (int j = 0; j < y.length; j++) {
            y[j] = normal.inverseCumulativeProbability((j + 0.5) / y.length) + 0.03;
        }
        TestOutcome outcome = ks.test(x, y);
        assertThat(outcome.statistic()).isCloseTo(0.01203333333333334, within(1e-9));
        assertThat(outcome.pValue()).isCloseTo(0.2868970952840183, within(1e-5));
    }

    /*
     * Clearly shifted large samples, where 1 - cdf would read 0 or lose its digits:
     * >>> for shift in (0.1, 0.2):
     * ...     ya = norm.ppf((np.arange(15000)+0.5)/15000) + shift; r = ks_2samp(xa, ya); print(r.statistic, r.pvalue)
     * 0.03995000000000004 1.1071896893012597e-09
     * 0.07971666666666671 2.67544817691486e-37
     */
    @Test
    void largeClearlyShiftedSamplesKeepTheirTinyAsymptoticPValue() {
        double[] x = normalQuantiles(12_000, 0.0);

        TestOutcome small = ks.test(x, normalQuantiles(15_000, 0.1));
        TestOutcome tiny = ks.test(x, normalQuantiles(15_000, 0.2));

        assertThat(small.statistic()).isCloseTo(0.03995000000000004, within(1e-9));
        assertThat(small.pValue()).isCloseTo(1.1071896893012597e-09, withinPercentage(1e-6));
        assertThat(tiny.statistic()).isCloseTo(0.07971666666666671, within(1e-9));
        assertThat(tiny.pValue()).isCloseTo(2.67544817691486e-37, withinPercentage(1e-6));
    }

    /*
     * The one-sided tail on its own:
     * >>> from scipy.special import smirnov; smirnov(200, 0.3), smirnov(6667, 0.11930000000000002)
     * (9.241097876563438e-17, 1.935190845139996e-83)
     */
    @Test
    void smirnovTailMatchesScipy() {
        assertThat(KolmogorovSmirnov.smirnovTail(200, 0.3)).isCloseTo(9.241097876563438e-17, withinPercentage(1e-8));
        assertThat(KolmogorovSmirnov.smirnovTail(6667, 0.11930000000000002)).isCloseTo(1.935190845139996e-83, withinPercentage(1e-7));
    }

    private static double[] normalQuantiles(int n, double shift) {
        NormalDistribution normal = new NormalDistribution();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = normal.inverseCumulativeProbability((i + 0.5) / n) + shift;
        }
        return values;
    }

    @Test
    void identicalSamplesHavePValueOne() {
        double[] x = {3, 1, 2};
        assertThat(ks.test(x, x.clone())).isEqualTo(new TestOutcome(0.0, 1.0));
    }

    @Test
    void rejectsEmptyOrNonFiniteSamples() {
        assertThatThrownBy(() -> ks.test(new double[0], new double[] {1})).hasMessageContaining("x must contain");
        assertThatThrownBy(() -> ks.test(new double[] {1}, new double[] {Double.NaN})).hasMessageContaining("y must contain only finite");
    }
}
