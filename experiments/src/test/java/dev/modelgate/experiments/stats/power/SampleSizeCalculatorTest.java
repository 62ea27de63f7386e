package dev.modelgate.experiments.stats.power;

import dev.modelgate.experiments.stats.ProportionSummary;
import dev.modelgate.experiments.stats.fixed.TwoProportionZTest;
import dev.modelgate.experiments.stats.sequential.AsymptoticConfidenceSequence;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SampleSizeCalculatorTest {

    private final SampleSizeCalculator calculator = new SampleSizeCalculator(0.05, 0.8);

    /*
     * Reference (formulas written out with scipy.stats.norm):
     *   import math
     *   from scipy.stats import norm
     *   za, zb = norm.ppf(1 - 0.05 / 2), norm.ppf(0.8)
     *   def n_prop(p1, p2):
     *       pbar = (p1 + p2) / 2
     *       return math.ceil((za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))**2 / (p2 - p1)**2)
     *   def n_mean(sd, delta):
     *       return math.ceil(2 * sd**2 * (za + zb)**2 / delta**2)
     *   print(n_prop(0.10, 0.11), n_prop(0.05, 0.04), n_mean(4.0, 0.2), n_mean(4.0, 0.05 * 10.0))
     * Output:
     *   14751 6745 6280 1005
     */
    @Test
    void matchesReferenceSampleSizes() {
        assertThat(calculator.unitsPerVariantForProportion(0.10, Mde.relative(0.10))).isEqualTo(14751);
        assertThat(calculator.unitsPerVariantForProportion(0.10, Mde.absolute(0.01))).isEqualTo(14751);
        assertThat(calculator.unitsPerVariantForProportion(0.05, Mde.absolute(-0.01))).isEqualTo(6745);
        assertThat(calculator.unitsPerVariantForMean(10.0, 4.0, Mde.absolute(0.2))).isEqualTo(6280);
        assertThat(calculator.unitsPerVariantForMean(10.0, 4.0, Mde.relative(0.05))).isEqualTo(1005);
    }

    /*
     * Reference for the always-valid test tuned to its plan (same session as above):
     *   a = 0.05
     *   k = -2 * math.log(a) + math.log(1 - 2 * math.log(a))
     *   c = math.sqrt(2 * (k + 1) / k * math.log(math.sqrt(k + 1) / a))   # the sequence's critical value at N*
     *   def nseq_prop(p1, p2):
     *       return math.ceil((c + zb)**2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1)**2)
     *   def nseq_mean(sd, delta):
     *       return math.ceil(2 * sd**2 * (c + zb)**2 / delta**2)
     *   print(c, nseq_prop(0.10, 0.11), nseq_prop(0.05, 0.04), nseq_mean(4.0, 0.2), nseq_mean(4.0, 0.05 * 10.0))
     * Output:
     *   3.035208990376253 28242 12911 12024 1924
     * About 1.9 times the fixed-horizon samples: what reading the results at any time costs.
     */
    @Test
    void sequentialPlansUseTheCriticalValueOfTheTunedSequence() {
        assertThat(AsymptoticConfidenceSequence.criticalValueAtTuning(0.05)).isCloseTo(3.035208990376253, within(1e-12));
        assertThat(calculator.sequentialUnitsPerVariantForProportion(0.10, Mde.relative(0.10))).isEqualTo(28242);
        assertThat(calculator.sequentialUnitsPerVariantForProportion(0.05, Mde.absolute(-0.01))).isEqualTo(12911);
        assertThat(calculator.sequentialUnitsPerVariantForMean(10.0, 4.0, Mde.absolute(0.2))).isEqualTo(12024);
        assertThat(calculator.sequentialUnitsPerVariantForMean(10.0, 4.0, Mde.relative(0.05))).isEqualTo(1924);
    }

    /**
     * 500 seeded experiments at the n the calculator returns for baseline 10 % and a 10 % relative MDE:
     * with a true effect equal to the MDE the z-test detects it about 80 % of the time; with twice the MDE,
     * almost always.
     */
    @Test
    void simulatedPowerAtTheComputedSampleSizeIsAsPlanned() {
        int n = (int) calculator.unitsPerVariantForProportion(0.10, Mde.relative(0.10));
        SplittableRandom random = new SplittableRandom(2024L);

        assertThat(empiricalPower(random, n, 0.10, 0.11)).isBetween(0.75, 0.85);
        assertThat(empiricalPower(random, n, 0.10, 0.12)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void impossibleTreatmentRateIsRejected() {
        assertThatThrownBy(() -> calculator.unitsPerVariantForProportion(0.95, Mde.relative(0.1)))
                .hasMessageContaining("baselineRate + mde");
        assertThatThrownBy(() -> new SampleSizeCalculator(0.05, 1.0)).hasMessageContaining("power");
        assertThatThrownBy(() -> Mde.relative(0.0)).hasMessageContaining("value must be non-zero");
    }

    private static double empiricalPower(SplittableRandom random, int n, double controlRate, double treatmentRate) {
        TwoProportionZTest test = new TwoProportionZTest(0.05);
        int experiments = 500;
        int detected = 0;
        for (int e = 0; e < experiments; e++) {
            ProportionSummary control = new ProportionSummary(n, successes(random, n, controlRate));
            ProportionSummary treatment = new ProportionSummary(n, successes(random, n, treatmentRate));
            if (test.test(control, treatment).pValue() < 0.05) {
                detected++;
            }
        }
        return detected / (double) experiments;
    }

    private static long successes(SplittableRandom random, int n, double p) {
        long successes = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                successes++;
            }
        }
        return successes;
    }
}
