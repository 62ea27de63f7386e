package dev.modelgate.experiments.stats.fixed;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.MeanSummary;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WelchTTestTest {

    private static final double[] CONTROL = {12.1, 9.8, 11.4, 10.2, 13.5, 8.9, 10.7, 11.9, 9.4, 12.8, 10.0, 11.1};
    private static final double[] TREATMENT = {13.2, 11.7, 14.9, 10.8, 12.6, 15.3, 11.2, 13.8, 12.4, 16.1};

    private final WelchTTest test = new WelchTTest(0.05);

    /*
     * Reference (SciPy 1.17):
     *   import numpy as np
     *   from scipy import stats
     *   c = np.array([12.1, 9.8, 11.4, 10.2, 13.5, 8.9, 10.7, 11.9, 9.4, 12.8, 10.0, 11.1])
     *   t = np.array([13.2, 11.7, 14.9, 10.8, 12.6, 15.3, 11.2, 13.8, 12.4, 16.1])
     *   r = stats.ttest_ind(t, c, equal_var=False)
     *   ci = r.confidence_interval(0.95)
     *   print(*map(float, [r.statistic, r.pvalue, r.df, ci.low, ci.high]))
     *   vc, vt = c.var(ddof=1) / len(c), t.var(ddof=1) / len(t)
     *   mc, mt = c.mean(), t.mean()
     *   q = stats.t.ppf(0.975, r.df)
     *   se_lift = np.sqrt(vt / mc**2 + mt**2 * vc / mc**4)
     *   print(*map(float, [mt / mc - 1 - q * se_lift, mt / mc - 1 + q * se_lift]))
     * Output:
     *   3.171885511075431 0.005594882585449361 16.93648055209699 0.741804370398667 3.691528962934663
     *   0.05779576398221062 0.34584611765663564
     */
    @Test
    void matchesScipyWelchTestAndItsConfidenceInterval() {
        FixedHorizonResult result = test.test(MeanSummary.of(CONTROL), MeanSummary.of(TREATMENT));

        assertThat(result.statistic()).isCloseTo(3.171885511075431, within(1e-10));
        assertThat(result.pValue()).isCloseTo(0.005594882585449361, within(1e-10));
        assertThat(WelchTTest.welchDegreesOfFreedom(MeanSummary.of(CONTROL), MeanSummary.of(TREATMENT)))
                .isCloseTo(16.93648055209699, within(1e-9));
        assertThat(result.absolute().interval().lower()).isCloseTo(0.741804370398667, within(1e-7));
        assertThat(result.absolute().interval().upper()).isCloseTo(3.691528962934663, within(1e-7));
        Effect lift = result.relative().orElseThrow();
        assertThat(lift.interval().lower()).isCloseTo(0.05779576398221062, within(1e-7));
        assertThat(lift.interval().upper()).isCloseTo(0.34584611765663564, within(1e-7));
    }

    @Test
    void bothArmsConstantIsRejectedWithAClearMessage() {
        MeanSummary constant = new MeanSummary(10, 1.0, 0.0);
        assertThatThrownBy(() -> test.test(constant, constant)).hasMessageContaining("variance must be > 0");
    }

    /** 500 seeded A/A experiments with skewed (exponential) data: false-positive rate close to 5 %. */
    @Test
    void aaExperimentsHaveNominalFalsePositiveRate() {
        SplittableRandom random = new SplittableRandom(7L);
        int experiments = 500;
        int falsePositives = 0;
        for (int e = 0; e < experiments; e++) {
            if (test.test(exponentialSample(random, 500), exponentialSample(random, 500)).pValue() < 0.05) {
                falsePositives++;
            }
        }
        assertThat(falsePositives / (double) experiments).isBetween(0.03, 0.07);
    }

    private static MeanSummary exponentialSample(SplittableRandom random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = -Math.log(1.0 - random.nextDouble());
        }
        return MeanSummary.of(values);
    }
}
