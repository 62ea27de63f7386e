package dev.modelgate.experiments.stats.fixed;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.ProportionSummary;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TwoProportionZTestTest {

    private final TwoProportionZTest test = new TwoProportionZTest(0.05);

    /*
     * Reference (formulas written out with scipy.stats.norm; there is no statsmodels here):
     *   import math
     *   from scipy.stats import norm
     *   nc, xc, nt, xt = 10000, 1000, 10000, 1080
     *   pc, pt = xc / nc, xt / nt
     *   pp = (xc + xt) / (nc + nt)
     *   z = (pt - pc) / math.sqrt(pp * (1 - pp) * (1 / nc + 1 / nt))
     *   q = norm.ppf(0.975)
     *   se = math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt)
     *   lift = pt / pc - 1
     *   se_lift = math.sqrt(pt * (1 - pt) / nt / pc**2 + pt**2 * pc * (1 - pc) / nc / pc**4)
     *   print(*map(float, [z, 2 * norm.sf(abs(z))]))
     *   print(*map(float, [pt - pc - q * se, pt - pc + q * se]))
     *   print(*map(float, [lift - q * se_lift, lift + q * se_lift]))
     * Output:
     *   1.8531232916527514 0.06386468910795928
     *   -0.00046050867745469487 0.01646050867745468
     *   -0.007939283492167395 0.16793928349216708
     */
    @Test
    void matchesPooledZAndUnpooledDeltaMethodIntervals() {
        FixedHorizonResult result = test.test(new ProportionSummary(10000, 1000), new ProportionSummary(10000, 1080));

        assertThat(result.statistic()).isCloseTo(1.8531232916527514, within(1e-12));
        assertThat(result.pValue()).isCloseTo(0.06386468910795928, within(1e-12));
        assertThat(result.absolute().estimate()).isCloseTo(0.008, within(1e-15));
        assertThat(result.absolute().interval().lower()).isCloseTo(-0.00046050867745469487, within(1e-10));
        assertThat(result.absolute().interval().upper()).isCloseTo(0.01646050867745468, within(1e-10));
        Effect lift = result.relative().orElseThrow();
        assertThat(lift.estimate()).isCloseTo(0.08, within(1e-12));
        assertThat(lift.interval().lower()).isCloseTo(-0.007939283492167395, within(1e-9));
        assertThat(lift.interval().upper()).isCloseTo(0.16793928349216708, within(1e-9));
    }

    @Test
    void identicalArmsAreNotSignificant() {
        FixedHorizonResult result = test.test(new ProportionSummary(500, 0), new ProportionSummary(400, 0));
        assertThat(result.pValue()).isEqualTo(1.0);
        assertThat(result.relative()).isEmpty();
    }

    /** 500 seeded A/A experiments at alpha 0.05: the false-positive rate must be close to 5 %. */
    @Test
    void aaExperimentsHaveNominalFalsePositiveRate() {
        SplittableRandom random = new SplittableRandom(20240501L);
        int experiments = 500;
        int falsePositives = 0;
        for (int e = 0; e < experiments; e++) {
            ProportionSummary control = new ProportionSummary(2000, bernoulliSuccesses(random, 2000, 0.1));
            ProportionSummary treatment = new ProportionSummary(2000, bernoulliSuccesses(random, 2000, 0.1));
            if (test.test(control, treatment).pValue() < 0.05) {
                falsePositives++;
            }
        }
        assertThat(falsePositives / (double) experiments).isBetween(0.03, 0.07);
    }

    static long bernoulliSuccesses(SplittableRandom random, int n, double p) {
        long successes = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                successes++;
            }
        }
        return successes;
    }
}
