package dev.modelgate.experiments.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SummariesTest {

    @Test
    void meanSummaryFromDatabaseSumsEqualsSummaryOfRawValues() {
        double[] values = {12.1, 9.8, 11.4, 10.2, 13.5, 8.9};
        double sum = 0;
        double sumOfSquares = 0;
        for (double v : values) {
            sum += v;
            sumOfSquares += v * v;
        }
        MeanSummary fromSums = MeanSummary.fromSums(values.length, sum, sumOfSquares);
        MeanSummary fromValues = MeanSummary.of(values);

        // python3 -c "import numpy as np; a=np.array([12.1,9.8,11.4,10.2,13.5,8.9]); print(a.mean(), a.var(ddof=1))"
        // 10.983333333333334 2.8216666666666663
        assertThat(fromSums.mean()).isCloseTo(10.983333333333334, within(1e-12));
        assertThat(fromSums.variance()).isCloseTo(2.8216666666666663, within(1e-10));
        assertThat(fromValues.variance()).isCloseTo(fromSums.variance(), within(1e-10));
        assertThat(fromSums.varianceOfMean()).isCloseTo(2.8216666666666663 / 6, within(1e-10));
    }

    @Test
    void constantDataGiveZeroVarianceNotANegativeOne() {
        // seven units of 3.3 summed in double: (76.22999999999999 - 23.1^2/7)/6 = -2.4e-15 before clamping
        assertThat(MeanSummary.fromSums(7, 23.1, 76.22999999999999).variance()).isZero();
    }

    @Test
    void invalidInputsNameTheField() {
        assertThatThrownBy(() -> new ProportionSummary(10, 11)).hasMessageContaining("successes");
        assertThatThrownBy(() -> new ProportionSummary(0, 0)).hasMessageContaining("n must be >= 1");
        assertThatThrownBy(() -> new MeanSummary(1, 1.0, 1.0)).hasMessageContaining("n must be >= 2");
        assertThatThrownBy(() -> new MeanSummary(5, Double.NaN, 1.0)).hasMessageContaining("mean");
        assertThatThrownBy(() -> new MeanSummary(5, 1.0, -1.0)).hasMessageContaining("variance");
        assertThatThrownBy(() -> new Interval(2.0, 1.0)).hasMessageContaining("lower must be <= upper");
    }

    @Test
    void liftIsUndefinedWhenControlHasNoConversionYet() {
        assertThat(Differences.relative(new ProportionSummary(100, 0), new ProportionSummary(100, 3))).isEmpty();
        assertThat(Differences.absolute(new ProportionSummary(100, 0), new ProportionSummary(100, 3)).value())
                .isCloseTo(0.03, within(1e-15));
    }
}
