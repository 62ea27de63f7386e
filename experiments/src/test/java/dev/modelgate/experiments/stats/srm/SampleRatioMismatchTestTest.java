package dev.modelgate.experiments.stats.srm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class SampleRatioMismatchTestTest {

    private final SampleRatioMismatchTest srm = new SampleRatioMismatchTest();

    /*
     * Reference (SciPy 1.17):
     *   from scipy.stats import chisquare
     *   print(*chisquare([10400, 9600], [10000, 10000]))
     *   print(*chisquare([10060, 9940], [10000, 10000]))
     *   print(*chisquare([5210, 2400, 2390], [5000, 2500, 2500]))
     * Output:
     *   32.0 1.5417257900280013e-08
     *   0.72 0.3961439091520741
     *   17.66 0.00014627823948443715
     */
    @Test
    void fiftyTwoFortyEightOverTwentyThousandUnitsFires() {
        SrmResult result = srm.test(new long[] {10400, 9600}, new double[] {50, 50});

        assertThat(result.chiSquare()).isCloseTo(32.0, within(1e-9));
        assertThat(result.pValue()).isCloseTo(1.5417257900280013e-08, withinPercentage(1e-4));
        assertThat(result.trustworthy()).isFalse();
    }

    @Test
    void fiftyPointThreeFortyNinePointSevenDoesNotFire() {
        SrmResult result = srm.test(new long[] {10060, 9940}, new double[] {0.5, 0.5});

        assertThat(result.chiSquare()).isCloseTo(0.72, within(1e-9));
        assertThat(result.pValue()).isCloseTo(0.3961439091520741, within(1e-9));
        assertThat(result.trustworthy()).isTrue();
    }

    @Test
    void unevenThreeWaySplitIsComparedWithItsOwnWeights() {
        SrmResult result = srm.test(new long[] {5210, 2400, 2390}, new double[] {2, 1, 1});

        assertThat(result.chiSquare()).isCloseTo(17.66, within(1e-9));
        assertThat(result.pValue()).isCloseTo(0.00014627823948443715, withinPercentage(1e-4));
        assertThat(result.trustworthy()).isFalse();
    }

    /*
     * Reference (SciPy 1.17):
     *   print(*chisquare([206, 194], [360, 40]))      # weights 90/10, traffic close to 50/50
     *   print(*chisquare([5400, 4600], [5000, 5000]))
     * Output:
     *   658.7777777777777 2.7550975896281413e-145
     *   64.0 1.2441921148543578e-15
     */
    @Test
    void grossMismatchesKeepTheirTinyPValueInsteadOfRoundingToZero() {
        SrmResult gross = srm.test(new long[] {206, 194}, new double[] {90, 10});
        SrmResult clear = srm.test(new long[] {5400, 4600}, new double[] {50, 50});

        assertThat(gross.chiSquare()).isCloseTo(658.7777777777777, within(1e-9));
        assertThat(gross.pValue()).isCloseTo(2.7550975896281413e-145, withinPercentage(1e-8));
        assertThat(clear.pValue()).isCloseTo(1.2441921148543578e-15, withinPercentage(1e-8));
    }

    @Test
    void noTrafficYetIsNotAnAlarm() {
        assertThat(srm.test(new long[] {0, 0}, new double[] {1, 1}).trustworthy()).isTrue();
    }

    @Test
    void mismatchedOrInvalidWeightsAreRejectedByName() {
        assertThatThrownBy(() -> srm.test(new long[] {1, 2}, new double[] {1})).hasMessageContaining("weights");
        assertThatThrownBy(() -> srm.test(new long[] {1, 2}, new double[] {1, 0})).hasMessageContaining("weights[1]");
        assertThatThrownBy(() -> srm.test(new long[] {1, -2}, new double[] {1, 1}))
                .hasMessageContaining("observedUnits[1]");
    }
}
