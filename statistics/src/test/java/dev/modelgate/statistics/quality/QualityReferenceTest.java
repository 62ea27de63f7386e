package dev.modelgate.statistics.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every metric against values computed from the rows by {@code src/test/resources/quality/reference.py}
 * (numpy 2.4.6, scipy 1.17.1: scipy's Mann–Whitney U for the AUC, a midrank DeLong, scikit-learn's
 * precision-recall and calibration-curve algorithms and NannyML's CBPE AUC re-implemented on rows,
 * scipy's Wilson intervals and 2×2 chi-square). The data below is the script's output; the Java
 * code sees it only as grouped cells, sums and confusion counts, as ClickHouse returns them.
 */
class QualityReferenceTest {

    private static final double EXACT = 1e-9;

    static final double[] SCORES = { 0.23, 0.73, 0.77, 0.33, 0.57, 0.51, 0.42, 0.28, 0.26, 0.24, 0.29, 0.61, 0.3, 0.23, 0.3, 0.54, 0.49, 0.16, 0.36, 0.29, 0.33, 0.28, 0.65, 0.09, 0.17, 0.52, 0.26, 0.41, 0.16, 0.37, 0.2, 0.4, 0.33, 0.46, 0.09, 0.31, 0.74, 0.05, 0.57, 0.45, 0.69, 0.32, 0.15, 0.88, 0.52, 0.53, 0.55, 0.3, 0.33, 0.24, 0.16, 0.24, 0.44, 0.45, 0.14, 0.47, 0.48, 0.73, 0.31, 0.15, 0.38, 0.23, 0.14, 0.5, 0.43, 0.09, 0.42, 0.47, 0.35, 0.77, 0.5, 0.08, 0.26, 0.25, 0.52, 0.1, 0.83, 0.14, 0.33, 0.55};
    static final int[] LABELS = { 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0};

    /** Tie-free scores, on which NannyML's own CBPE AUC algorithm is the reference. */
    private static final double[] TIE_FREE_SCORES = {0.0576, 0.0668, 0.0776, 0.1002, 0.1037, 0.1101, 0.1104, 0.1107, 0.1353, 0.137, 0.1478, 0.1784, 0.18, 0.2045, 0.2248, 0.2369, 0.2373, 0.2747, 0.3089, 0.314, 0.3149, 0.3332, 0.3349, 0.3396, 0.3498, 0.352, 0.3526, 0.3653, 0.3723, 0.3896, 0.3997, 0.4022, 0.4146, 0.4428, 0.4442, 0.4528, 0.4692, 0.4729, 0.48, 0.4982, 0.5122, 0.5231, 0.5241, 0.526, 0.532, 0.585, 0.5999, 0.605, 0.6347, 0.694, 0.7122, 0.738, 0.7523, 0.7728, 0.7772, 0.7819, 0.782, 0.7937, 0.802, 0.9005};

    private static final int[] MULTICLASS_TRUTH = { 2, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 2, 1, 0, 1, 0, 2, 0, 0, 2, 1, 1, 2, 0, 2, 1, 0, 0, 2, 1, 0, 0, 1, 2, 0, 1, 2, 1, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 2, 0, 2, 0, 2, 2, 0, 2, 2, 1, 1, 1};
    private static final int[] MULTICLASS_PREDICTED = { 2, 1, 1, 2, 1, 1, 0, 1, 0, 0, 0, 2, 0, 0, 1, 1, 2, 1, 0, 1, 1, 1, 2, 0, 0, 1, 1, 0, 2, 1, 0, 0, 2, 2, 0, 1, 0, 2, 1, 1, 2, 0, 1, 2, 0, 2, 2, 2, 0, 0, 2, 2, 1, 2, 1, 2, 1, 1, 1, 1};
    private static final double[] MULTICLASS_P_TRUE = { 0.734, 0.711, 0.526, 0.405, 0.363, 0.658, 0.395, 0.154, 0.461, 0.431, 0.35, 0.68, 0.233, 0.573, 0.678, 0.352, 0.595, 0.114, 0.576, 0.291, 0.669, 0.737, 0.346, 0.512, 0.407, 0.482, 0.37, 0.425, 0.7, 0.522, 0.639, 0.77, 0.204, 0.648, 0.347, 0.54, 0.295, 0.322, 0.418, 0.654, 0.179, 0.653, 0.487, 0.493, 0.578, 0.36, 0.145, 0.233, 0.212, 0.553, 0.519, 0.194, 0.202, 0.56, 0.371, 0.349, 0.306, 0.737, 0.493, 0.687};

    private static final double[] REGRESSION_Y = { 5.79, 8.98, 7.67, 6.87, 4.65, 10.02, 8.49, 5.47, 8.3, 9.54, 10.22, 12.95, 8.31, 7.6, 7.5, 14.08, 6.74, 4.16, 6.57, 6.63, 7.15, 15.36, 12.51, 7.32, 12.33, 9.05, 12.45, 16.84, 11.01, 9.29, 13.5, 10.9, 7.56, 9.25, 9.89, 11.92, 12.31, 12.05, 12.44, 0.64, 6.15, 13.62, 10.23, 5.85, 7.11, 11.21, 8.79, 15.28, 4.48, 5.56};
    private static final double[] REGRESSION_YHAT = { 7.78, 11.84, 8.91, 6.79, 3.44, 8.64, 8.75, 5.22, 8.9, 13.1, 10.3, 13.78, 11.61, 6.84, 8.94, 12.84, 4.78, 8.96, 6.5, 7.42, 5.15, 16.42, 13.45, 6.9, 13.78, 9.36, 12.92, 17.43, 11.29, 6.47, 15.21, 12.58, 6.25, 9.63, 6.41, 13.85, 14.0, 11.37, 13.57, 3.38, 5.59, 12.01, 9.69, 7.9, 8.83, 11.44, 8.14, 17.25, 2.66, 5.52};

    private final BinaryQuality binary = new BinaryQuality(0.5, 10, Confidence.NINETY_FIVE, Bootstrap.DEFAULT);

    @Test
    void binaryMetricsMatchTheRowLevelReference() {
        BinaryReport report = binary.evaluate(table(SCORES, LABELS));

        assertThat(report.n()).isEqualTo(80);
        assertThat(report.rocAuc().value()).isCloseTo(0.7151692708333334, within(EXACT));
        assertThat(report.rocAuc().standardError()).isCloseTo(0.057053812290255065, within(EXACT));
        assertThat(report.prAuc().value()).isCloseTo(0.6117654596851527, within(EXACT));
        assertThat(report.logLoss().value()).isCloseTo(0.5953997201020017, within(EXACT));
        assertThat(report.logLoss().standardError()).isCloseTo(0.04652308616549698, within(EXACT));
        assertThat(report.brier().value()).isCloseTo(0.20796375, within(EXACT));
        assertThat(report.brier().standardError()).isCloseTo(0.020469004681959866, within(EXACT));
        assertThat(report.confusion()).isEqualTo(new Confusion(13, 9, 39, 19));
        assertThat(report.accuracy().value()).isCloseTo(0.65, within(EXACT));
        assertThat(report.accuracy().lower()).isCloseTo(0.5408000664880765, within(EXACT));
        assertThat(report.accuracy().upper()).isCloseTo(0.7454544946512653, within(EXACT));
        assertThat(report.precision().value()).isCloseTo(0.5909090909090909, within(EXACT));
        assertThat(report.precision().lower()).isCloseTo(0.3873481847631512, within(EXACT));
        assertThat(report.precision().upper()).isCloseTo(0.7674418380352812, within(EXACT));
        assertThat(report.recall().value()).isCloseTo(0.40625, within(EXACT));
        assertThat(report.recall().lower()).isCloseTo(0.25519634842665434, within(EXACT));
        assertThat(report.recall().upper()).isCloseTo(0.5773997512461713, within(EXACT));
        assertThat(report.f1().value()).isCloseTo(0.48148148148148145, within(EXACT));
        assertThat(report.expectedCalibrationError().value()).isCloseTo(0.100375, within(EXACT));
        assertThat(report.reliability()).extracting(ReliabilityBin::count).containsExactly(6L, 10L, 17L, 13L, 14L, 10L, 3L, 5L, 2L);
        assertThat(report.reliability().stream().mapToDouble(ReliabilityBin::meanScore).toArray()).containsExactly(new double[] {0.08333333333333333,
                0.15700000000000003, 0.2635294117647059, 0.3423076923076923, 0.4564285714285714, 0.538, 0.65, 0.748, 0.855},
                within(EXACT));
        assertThat(report.reliability().stream().mapToDouble(ReliabilityBin::fractionPositive).toArray()).containsExactly(new double[] {0.0, 0.2,
                0.23529411764705882, 0.6153846153846154, 0.5, 0.4, 0.6666666666666666, 0.6, 1.0}, within(EXACT));
    }

    @Test
    void bootstrapIntervalsSurroundTheirEstimateAndAreReproducible() {
        BinaryReport first = binary.evaluate(table(SCORES, LABELS));
        BinaryReport second = binary.evaluate(table(SCORES, LABELS));

        for (MetricEstimate e : List.of(first.prAuc(), first.f1(), first.expectedCalibrationError())) {
            assertThat(e.lower()).isLessThan(e.value());
            assertThat(e.upper()).isGreaterThan(e.value());
        }
        assertThat(second.prAuc()).isEqualTo(first.prAuc());
    }

    @Test
    void expectedAucIsNannyMlsOnTieFreeScores() {
        PerformanceEstimate estimate = new ConfidenceBasedEstimation(0.5, Confidence.NINETY_FIVE).estimate(counts(TIE_FREE_SCORES));

        assertThat(estimate.rocAuc().value()).isCloseTo(0.7665120278905964, within(EXACT));
    }

    /** With ties, a tie is one threshold of the expected ROC curve (NannyML would split it; see reference.py). */
    @Test
    void confidenceBasedEstimationMatchesTheRowLevelReference() {
        PerformanceEstimate estimate = new ConfidenceBasedEstimation(0.5, Confidence.NINETY_FIVE).estimate(counts(SCORES));

        assertThat(estimate.rocAuc().value()).isCloseTo(0.7322014837188235, within(EXACT));
        assertThat(estimate.rocAuc().standardError()).isCloseTo(0.06021777477351333, within(EXACT));
        assertThat(estimate.accuracy().value()).isCloseTo(0.692375, within(EXACT));
        assertThat(estimate.accuracy().standardError()).isCloseTo(0.04967535228863505, within(EXACT));
        assertThat(estimate.precision().value()).isCloseTo(0.6263636363636363, within(EXACT));
        assertThat(estimate.recall().value()).isCloseTo(0.45674511103745435, within(EXACT));
        assertThat(estimate.f1().value()).isCloseTo(0.5282729538048686, within(EXACT));
    }

    @Test
    void hanleyMcNeilVarianceOfTheirEquationTwo() {
        assertThat(Math.sqrt(ConfidenceBasedEstimation.hanleyMcNeilVariance(0.8, 50, 50))).isCloseTo(0.04450218471540969, within(EXACT));
    }

    @Test
    void multiclassMetricsMatchTheRowLevelReference() {
        long[][] confusion = new long[3][3];
        MeanLoss logLoss = MeanLoss.EMPTY;
        for (int i = 0; i < MULTICLASS_TRUTH.length; i++) {
            confusion[MULTICLASS_TRUTH[i]][MULTICLASS_PREDICTED[i]]++;
            logLoss = logLoss.add(1, -Math.log(MULTICLASS_P_TRUE[i]));
        }
        MulticlassReport report = new MulticlassQuality(Confidence.NINETY_FIVE, Bootstrap.DEFAULT).evaluate(confusion, logLoss);

        assertThat(report.accuracy().value()).isCloseTo(0.6166666666666667, within(EXACT));
        assertThat(report.macroF1().value()).isCloseTo(0.6146830825353398, within(EXACT));
        assertThat(report.macroF1().lower()).isLessThan(report.macroF1().value());
        assertThat(report.logLoss().value()).isCloseTo(0.8691689963178191, within(EXACT));
        assertThat(report.logLoss().standardError()).isCloseTo(0.05993889920663031, within(EXACT));
    }

    @Test
    void regressionMetricsMatchTheRowLevelReference() {
        RegressionReport report = new RegressionQuality(Confidence.NINETY_FIVE).evaluate(sums(REGRESSION_Y, REGRESSION_YHAT));

        assertThat(report.mae().value()).isCloseTo(1.3392000000000004, within(EXACT));
        assertThat(report.mae().standardError()).isCloseTo(0.14898783404653398, within(EXACT));
        assertThat(report.rmse().value()).isCloseTo(1.6973885824995996, within(EXACT));
        assertThat(report.rmse().standardError()).isCloseTo(0.1785687043895172, within(EXACT));
        assertThat(report.mape().value()).isCloseTo(0.24559237179545237, within(EXACT));
        assertThat(report.mape().standardError()).isCloseTo(0.08639787728219939, within(EXACT));
        assertThat(report.r2().value()).isCloseTo(0.7334972364437973, within(EXACT));
        assertThat(report.r2().standardError()).isCloseTo(0.07040576222339942, within(EXACT));
    }

    @Test
    void pooledTwoProportionTestIsTheSquareRootOfTheTwoByTwoChiSquare() {
        Degradation d = new DegradationTest(0.01).proportions(180, 200, 160, 200);

        assertThat(d.z()).isCloseTo(2.8005601680560197, within(EXACT));
        assertThat(d.pValue()).isCloseTo(0.002550699823002489, within(EXACT));
        assertThat(d.degraded()).isTrue();
    }

    private static List<ScoreCount> counts(double[] scores) {
        List<ScoreCount> counts = new ArrayList<>();
        for (double s : scores) {
            counts.add(new ScoreCount(s, 1));
        }
        return counts;
    }

    /** Groups rows into cells, as {@code GROUP BY score} does. */
    static ScoreTable table(double[] scores, int[] labels) {
        Map<Double, long[]> cells = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            cells.computeIfAbsent(scores[i], s -> new long[2])[labels[i] == 1 ? 0 : 1]++;
        }
        List<ScoreCell> list = new ArrayList<>();
        cells.forEach((score, c) -> list.add(new ScoreCell(score, c[0], c[1])));
        return ScoreTable.of(list);
    }

    /** The sums ClickHouse's regression query returns. */
    static RegressionSums sums(double[] y, double[] yhat) {
        double[] s = new double[11];
        for (int i = 0; i < y.length; i++) {
            double e = y[i] - yhat[i];
            double ape = Math.abs(e) / Math.max(Math.abs(y[i]), RegressionSums.EPSILON);
            s[0] += Math.abs(e);
            s[1] += e * e;
            s[2] += e * e * e * e;
            s[3] += ape;
            s[4] += ape * ape;
            s[5] += y[i];
            s[6] += y[i] * y[i];
            s[7] += y[i] * y[i] * y[i];
            s[8] += y[i] * y[i] * y[i] * y[i];
            s[9] += e * e * y[i];
            s[10] += e * e * y[i] * y[i];
        }
        return new RegressionSums(y.length, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]);
    }
}
