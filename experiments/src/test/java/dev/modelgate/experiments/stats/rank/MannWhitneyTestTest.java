package dev.modelgate.experiments.stats.rank;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MannWhitneyTestTest {

    private final MannWhitneyTest test = new MannWhitneyTest();

    /*
     * Heavily tied count data, where the tie correction matters. Reference (SciPy 1.17):
     *   from scipy.stats import mannwhitneyu
     *   c = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 0, 1, 2]
     *   t = [1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 2, 3, 7, 0, 3, 4]
     *   r = mannwhitneyu(t, c, alternative='two-sided', method='asymptotic', use_continuity=True)
     *   print(*map(float, [r.statistic, r.pvalue]))
     * Output:
     *   176.5 0.02470542289018572
     * (Commons Math 3.6.1's MannWhitneyUTest omits the tie and continuity corrections, see the class doc.)
     */
    @Test
    void matchesScipyAsymptoticTestWithTieAndContinuityCorrection() {
        double[] control = {0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 0, 1, 2};
        double[] treatment = {1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 2, 3, 7, 0, 3, 4};

        MannWhitneyResult result = test.test(control, treatment);

        assertThat(result.u()).isEqualTo(176.5);
        assertThat(result.pValue()).isCloseTo(0.02470542289018572, within(1e-12));
        assertThat(result.probabilityOfSuperiority()).isCloseTo(176.5 / (15 * 16), within(1e-15));
    }

    @Test
    void swappingArmsKeepsThePValueAndMirrorsTheEffect() {
        double[] a = {3.1, 4.5, 2.2, 8.9, 5.0};
        double[] b = {1.0, 2.5, 0.3, 2.2};
        MannWhitneyResult forward = test.test(a, b);
        MannWhitneyResult backward = test.test(b, a);
        assertThat(backward.pValue()).isCloseTo(forward.pValue(), within(1e-15));
        assertThat(backward.probabilityOfSuperiority()).isCloseTo(1 - forward.probabilityOfSuperiority(), within(1e-15));
    }

    @Test
    void allEqualObservationsShowNoDifference() {
        assertThat(test.test(new double[] {1, 1, 1}, new double[] {1, 1}).pValue()).isEqualTo(1.0);
    }

    @Test
    void emptyArmIsRejected() {
        assertThatThrownBy(() -> test.test(new double[0], new double[] {1})).hasMessageContaining("control");
    }
}
