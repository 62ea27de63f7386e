package dev.modelgate.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Wasserstein and Jensen–Shannon against SciPy 1.17.1; PSI against arithmetic shown below. */
class DistancesTest {

    private final Wasserstein wasserstein = new Wasserstein();
    private final JensenShannon jensenShannon = new JensenShannon();
    private final PopulationStabilityIndex psi = new PopulationStabilityIndex();

    @Test
    void wassersteinMatchesScipy() {
        // >>> wasserstein_distance([0,1,3],[5,6,8]), wasserstein_distance([0,1],[0,1,2,2])
        // (5.0, 0.75)
        assertThat(wasserstein.distance(new double[] {0, 1, 3}, new double[] {5, 6, 8})).isCloseTo(5.0, within(1e-12));
        assertThat(wasserstein.distance(new double[] {0, 1}, new double[] {0, 1, 2, 2})).isCloseTo(0.75, within(1e-12));
        // >>> wasserstein_distance(x, y)   # the numpy sample file
        // 0.2131465629098496
        double[][] xy = ReferenceSamples.normalVersusShifted();
        assertThat(wasserstein.distance(xy[0], xy[1])).isCloseTo(0.2131465629098496, within(1e-12));
        assertThat(wasserstein.distance(xy[1], xy[0])).isCloseTo(0.2131465629098496, within(1e-12));
    }

    @Test
    void jensenShannonIsScipysNaturalLogDistance() {
        // >>> jensenshannon([1,0,0],[0,1,0]), jensenshannon([1,0],[0.5,0.5]), jensenshannon([10,20,30,40],[25,25,30,20])
        // (0.8325546111576977, 0.464501404022459, 0.18704342588473966)
        assertThat(jensenShannon.distance(new double[] {1, 0, 0}, new double[] {0, 1, 0}))
                .isCloseTo(0.8325546111576977, within(1e-12));
        assertThat(jensenShannon.distance(new double[] {1, 0}, new double[] {0.5, 0.5}))
                .isCloseTo(0.464501404022459, within(1e-12));
        assertThat(jensenShannon.distance(new double[] {10, 20, 30, 40}, new double[] {25, 25, 30, 20}))
                .isCloseTo(0.18704342588473966, within(1e-12));
    }

    @Test
    void psiMatchesHandArithmetic() {
        // Reference shares 0.25/0.25/0.25/0.25, current 0.10/0.20/0.30/0.40:
        //   (0.10-0.25)·ln(0.10/0.25) = -0.15 · -0.916291 = 0.137444
        //   (0.20-0.25)·ln(0.20/0.25) = -0.05 · -0.223144 = 0.011157
        //   (0.30-0.25)·ln(0.30/0.25) =  0.05 ·  0.182322 = 0.009116
        //   (0.40-0.25)·ln(0.40/0.25) =  0.15 ·  0.470004 = 0.070501
        //   PSI = 0.228218 ("moderate shift", between 0.1 and 0.25)
        assertThat(psi.index(new double[] {25, 25, 25, 25}, new double[] {10, 20, 30, 40})).isCloseTo(0.228218, within(1e-6));
    }

    @Test
    void psiReplacesEmptyCellsByOneInTenThousand() {
        // Current has nothing in the 2nd cell: (0.0001-0.5)·ln(0.0001/0.5) + (1-0.5)·ln(1/0.5)
        //   = -0.4999 · -8.517193 + 0.5 · 0.693147 = 4.257745 + 0.346574 = 4.604319
        assertThat(psi.index(new double[] {1, 1}, new double[] {4, 0})).isCloseTo(4.604319, within(1e-6));
    }

    @Test
    void distancesRejectMismatchedOrEmptyInputs() {
        assertThatThrownBy(() -> psi.index(new double[] {1, 2}, new double[] {1})).hasMessageContaining("same number of cells");
        assertThatThrownBy(() -> jensenShannon.distance(new double[] {0, 0}, new double[] {1, 1})).hasMessageContaining("reference must have a positive total");
        assertThatThrownBy(() -> jensenShannon.distance(new double[] {1, -1}, new double[] {1, 1})).hasMessageContaining("non-negative");
    }
}
