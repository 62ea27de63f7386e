package dev.modelgate.statistics.multiplicity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PValueAdjustmentTest {

    /**
     * Textbook example (Wikipedia, "Holm–Bonferroni method", Example): p = 0.01, 0.04, 0.03, 0.005 at
     * alpha = 0.05; Holm rejects H4 and H1 only. Adjusted by hand: sorted 0.005*4 = 0.02, 0.01*3 = 0.03,
     * 0.03*2 = 0.06, max(0.04*1, 0.06) = 0.06.
     */
    @Test
    void holmTextbookExample() {
        double[] adjusted = PValueAdjustment.HOLM.adjust(0.01, 0.04, 0.03, 0.005);

        assertThat(adjusted).containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-15));
        assertThat(adjusted[0]).isLessThan(0.05);
        assertThat(adjusted[3]).isLessThan(0.05);
        assertThat(adjusted[1]).isGreaterThan(0.05);
        assertThat(adjusted[2]).isGreaterThan(0.05);
    }

    /*
     * Reference:
     *   import numpy as np
     *   from scipy.stats import false_discovery_control
     *   p = np.array([0.01, 0.04, 0.03, 0.005, 0.20, 0.012])
     *   print(*map(float, false_discovery_control(p, method='bh')))
     *   order = np.argsort(p); m = len(p)
     *   adj = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[order]))
     *   out = np.empty(m); out[order] = adj
     *   print(*map(float, out))
     * Output:
     *   0.024 0.048 0.045 0.024 0.2 0.024
     *   0.05 0.09 0.09 0.03 0.2 0.05
     */
    @Test
    void benjaminiHochbergMatchesScipyAndHolmMatchesHandDerivation() {
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.20, 0.012};

        assertThat(PValueAdjustment.BENJAMINI_HOCHBERG.adjust(p))
                .containsExactly(new double[] {0.024, 0.048, 0.045, 0.024, 0.2, 0.024}, within(1e-12));
        assertThat(PValueAdjustment.HOLM.adjust(p))
                .containsExactly(new double[] {0.05, 0.09, 0.09, 0.03, 0.2, 0.05}, within(1e-12));
        assertThat(p).containsExactly(0.01, 0.04, 0.03, 0.005, 0.20, 0.012);
    }

    @Test
    void adjustedPValuesNeverExceedOne() {
        assertThat(PValueAdjustment.HOLM.adjust(0.6, 0.7, 0.9)).containsOnly(1.0);
    }

    @Test
    void invalidPValueIsRejectedByIndex() {
        assertThatThrownBy(() -> PValueAdjustment.HOLM.adjust(0.1, 1.2)).hasMessageContaining("pValues[1]");
    }
}
