package dev.modelgate.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.statistics.multiplicity.PValueAdjustment;
import org.junit.jupiter.api.Test;

class ChiSquareAndFdrTest {

    @Test
    void chiSquareMatchesScipyDocumentationExample() {
        // >>> chisquare([16,18,16,14,12,12], [16,16,16,16,16,8])
        // Power_divergenceResult(statistic=3.5, pvalue=0.6233876277495822)
        TestOutcome outcome = new ChiSquareGoodnessOfFit().test(new double[] {16, 16, 16, 16, 16, 8}, new long[] {16, 18, 16, 14, 12, 12});
        assertThat(outcome.statistic()).isCloseTo(3.5, within(1e-12));
        assertThat(outcome.pValue()).isCloseTo(0.6233876277495822, within(1e-12));
    }

    @Test
    void chiSquareScalesExpectedProportionsToTheObservedTotal() {
        TestOutcome fromProportions = new ChiSquareGoodnessOfFit().test(new double[] {0.2, 0.2, 0.2, 0.2, 0.2, 0.1},
                new long[] {16, 18, 16, 14, 12, 12});
        assertThat(fromProportions.statistic()).isCloseTo(3.5, within(1e-9));
    }

    @Test
    void benjaminiHochbergMatchesScipy() {
        // >>> false_discovery_control([0.01,0.04,0.03,0.005,0.2,0.5], method='bh')
        // [0.03, 0.06, 0.06, 0.03, 0.24, 0.5]
        double[] adjusted = PValueAdjustment.BENJAMINI_HOCHBERG.adjust(0.01, 0.04, 0.03, 0.005, 0.2, 0.5);
        assertThat(adjusted).containsExactly(new double[] {0.03, 0.06, 0.06, 0.03, 0.24, 0.5}, within(1e-12));
    }
}
