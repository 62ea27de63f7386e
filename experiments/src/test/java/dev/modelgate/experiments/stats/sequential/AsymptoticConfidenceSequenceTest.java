package dev.modelgate.experiments.stats.sequential;

import dev.modelgate.experiments.stats.Effect;
import dev.modelgate.experiments.stats.MeanSummary;
import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.fixed.WelchTTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AsymptoticConfidenceSequenceTest {

    private final AsymptoticConfidenceSequence sequence = new AsymptoticConfidenceSequence(0.05);

    /*
     * Reference: GrowthBook's half-width (Waudby-Smith et al. eq. 9, rho from eq. 161, N* = 5000) and,
     * for the p-value, the normal-mixture mSPRT of Johari et al. 2017 written from its own formula:
     *   import math
     *   alpha, nstar = 0.05, 5000
     *   rho2 = (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / nstar
     *   def cs(theta, v, n):  # v = variance of the estimator, n = total units
     *       s2 = v * n
     *       half = math.sqrt(s2) * math.sqrt(2 * (n * rho2 + 1) / (n**2 * rho2) * math.log(math.sqrt(n * rho2 + 1) / alpha))
     *       tau2 = s2 * rho2
     *       lam = math.sqrt(v / (v + tau2)) * math.exp(tau2 * theta**2 / (2 * v * (v + tau2)))
     *       return theta - half, theta + half, min(1.0, 1 / lam)
     *   nc, mc, sc, nt, mt, st = 2500, 10.0, 16.0, 2600, 10.3, 17.5
     *   vc, vt = sc / nc, st / nt
     *   print(*cs(mt - mc, vc + vt, nc + nt))
     *   print(*cs(mt / mc - 1, vt / mc**2 + mt**2 * vc / mc**4, nc + nt)[:2])
     *   pc, pt = 300 / 3000, 345 / 3000
     *   vc, vt = pc * (1 - pc) / 3000, pt * (1 - pt) / 3000
     *   print(*cs(pt - pc, vc + vt, 6000))
     * Output:
     *   -0.04779511069265735 0.6477951106926587 0.14278765426857637
     *   -0.005291915742330781 0.06529191574233084
     *   -0.00927908275617102 0.03927908275617102 0.6597856947288847
     */
    @Test
    void continuousMetricMatchesGrowthBookHalfWidthAndMixtureSprtPValue() {
        SequentialResult result = sequence.test(new MeanSummary(2500, 10.0, 16.0), new MeanSummary(2600, 10.3, 17.5));

        assertThat(result.absolute().interval().lower()).isCloseTo(-0.04779511069265735, within(1e-12));
        assertThat(result.absolute().interval().upper()).isCloseTo(0.6477951106926587, within(1e-12));
        assertThat(result.pValue()).isCloseTo(0.14278765426857637, within(1e-12));
        Effect lift = result.relative().orElseThrow();
        assertThat(lift.interval().lower()).isCloseTo(-0.005291915742330781, within(1e-12));
        assertThat(lift.interval().upper()).isCloseTo(0.06529191574233084, within(1e-12));
    }

    @Test
    void binaryMetricMatchesReference() {
        SequentialResult result = sequence.test(new ProportionSummary(3000, 300), new ProportionSummary(3000, 345));

        assertThat(result.absolute().interval().lower()).isCloseTo(-0.00927908275617102, within(1e-12));
        assertThat(result.absolute().interval().upper()).isCloseTo(0.03927908275617102, within(1e-12));
        assertThat(result.pValue()).isCloseTo(0.6597856947288847, within(1e-12));
    }

    @Test
    void pValueBelowAlphaExactlyWhenTheSequenceExcludesZero() {
        for (double treatmentMean = 10.0; treatmentMean < 11.0; treatmentMean += 0.01) {
            SequentialResult result = sequence.test(new MeanSummary(2500, 10.0, 16.0),
                    new MeanSummary(2600, treatmentMean, 17.5));
            assertThat(result.isSignificant(0.05)).isEqualTo(result.absolute().excludesZero());
        }
    }

    /**
     * The reason this class exists: 500 seeded A/A experiments, looked at after every 100 units per arm up
     * to 5,000. Stopping at the first naive Welch p < 0.05 declares a winner far more often than 5 %; the
     * confidence sequence stays within its 5 % guarantee.
     */
    @Test
    void peekingInflatesTheNaiveTestButNotTheSequentialOne() {
        SplittableRandom random = new SplittableRandom(42L);
        WelchTTest naive = new WelchTTest(0.05);
        int experiments = 500;
        int naiveEverSignificant = 0;
        int sequentialEverSignificant = 0;
        for (int e = 0; e < experiments; e++) {
            RunningSums control = new RunningSums();
            RunningSums treatment = new RunningSums();
            boolean naiveHit = false;
            boolean sequentialHit = false;
            for (int look = 1; look <= 50; look++) {
                for (int i = 0; i < 100; i++) {
                    control.add(random.nextGaussian());
                    treatment.add(random.nextGaussian());
                }
                MeanSummary c = control.summary();
                MeanSummary t = treatment.summary();
                naiveHit |= naive.test(c, t).pValue() < 0.05;
                sequentialHit |= sequence.test(c, t).pValue() < 0.05;
            }
            naiveEverSignificant += naiveHit ? 1 : 0;
            sequentialEverSignificant += sequentialHit ? 1 : 0;
        }
        assertThat(naiveEverSignificant / (double) experiments).isGreaterThan(0.15);
        assertThat(sequentialEverSignificant / (double) experiments).isLessThanOrEqualTo(0.05);
    }

    private static final class RunningSums {
        private long n;
        private double sum;
        private double sumOfSquares;

        void add(double value) {
            n++;
            sum += value;
            sumOfSquares += value * value;
        }

        MeanSummary summary() {
            return MeanSummary.fromSums(n, sum, sumOfSquares);
        }
    }
}
