package dev.modelgate.experiments.stats.cuped;

import dev.modelgate.experiments.stats.MeanSummary;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CupedTest {

    private static final double[] CONTROL_Y = {5.1, 6.3, 4.8, 7.2, 5.9, 6.6, 4.4, 5.5};
    private static final double[] CONTROL_X = {4.9, 6.0, 4.1, 7.5, 5.2, 6.9, 4.0, 5.0};
    private static final double[] TREATMENT_Y = {6.0, 7.1, 5.2, 7.9, 6.4, 5.8, 6.9};
    private static final double[] TREATMENT_X = {5.1, 6.6, 4.3, 7.4, 5.5, 5.0, 6.1};

    /*
     * Reference: the adjustment applied unit by unit with numpy, then summarised:
     *   import numpy as np
     *   cy = np.array([5.1, 6.3, 4.8, 7.2, 5.9, 6.6, 4.4, 5.5]); cx = np.array([4.9, 6.0, 4.1, 7.5, 5.2, 6.9, 4.0, 5.0])
     *   ty = np.array([6.0, 7.1, 5.2, 7.9, 6.4, 5.8, 6.9]);    tx = np.array([5.1, 6.6, 4.3, 7.4, 5.5, 5.0, 6.1])
     *   x, y = np.concatenate([cx, tx]), np.concatenate([cy, ty])
     *   theta = np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1)
     *   print(float(theta), float(x.mean()))
     *   for yy, xx in [(cy, cx), (ty, tx)]:
     *       adj = yy - theta * (xx - x.mean())
     *       print(float(adj.mean()), float(adj.var(ddof=1)))
     * Output:
     *   0.8096221959858323 5.573333333333333
     *   5.824853404171586 0.05507125517960173
     *   6.3573103952324725 0.01019376076169347
     */
    @Test
    void adjustmentFromSufficientStatisticsMatchesUnitLevelAdjustment() {
        CovariateSums control = CovariateSums.of(CONTROL_Y, CONTROL_X);
        CovariateSums treatment = CovariateSums.of(TREATMENT_Y, TREATMENT_X);

        Cuped cuped = Cuped.fit(List.of(control, treatment));
        MeanSummary adjustedControl = cuped.adjust(control);
        MeanSummary adjustedTreatment = cuped.adjust(treatment);

        assertThat(cuped.theta()).isCloseTo(0.8096221959858323, within(1e-12));
        assertThat(cuped.covariateMean()).isCloseTo(5.573333333333333, within(1e-12));
        assertThat(adjustedControl.mean()).isCloseTo(5.824853404171586, within(1e-12));
        assertThat(adjustedControl.variance()).isCloseTo(0.05507125517960173, within(1e-11));
        assertThat(adjustedTreatment.mean()).isCloseTo(6.3573103952324725, within(1e-12));
        assertThat(adjustedTreatment.variance()).isCloseTo(0.01019376076169347, within(1e-11));
    }

    /**
     * 300 seeded experiments, Y = X + noise with corr(X, Y)^2 = 0.8 and a true effect of 0.5: the adjusted
     * difference is centred on 0.5 like the raw one, and its spread across experiments shrinks to about
     * 1 - rho^2 = 20 % of the raw variance, as the reported per-arm variances say.
     */
    @Test
    void reducesVarianceOnCorrelatedDataAndStaysUnbiased() {
        SplittableRandom random = new SplittableRandom(99L);
        double trueEffect = 0.5;
        SummaryStatistics rawDifferences = new SummaryStatistics();
        SummaryStatistics adjustedDifferences = new SummaryStatistics();
        SummaryStatistics reportedVarianceRatio = new SummaryStatistics();
        for (int e = 0; e < 300; e++) {
            CovariateSums control = simulateArm(random, 1000, 0.0);
            CovariateSums treatment = simulateArm(random, 1000, trueEffect);
            Cuped cuped = Cuped.fit(List.of(control, treatment));
            MeanSummary adjustedControl = cuped.adjust(control);
            MeanSummary adjustedTreatment = cuped.adjust(treatment);
            rawDifferences.addValue(treatment.meanY() - control.meanY());
            adjustedDifferences.addValue(adjustedTreatment.mean() - adjustedControl.mean());
            reportedVarianceRatio.addValue(adjustedControl.variance() / control.varianceY());
        }
        double adjustedStandardError = adjustedDifferences.getStandardDeviation() / Math.sqrt(300);
        assertThat(adjustedDifferences.getMean()).isCloseTo(trueEffect, within(4 * adjustedStandardError));
        double empiricalRatio = adjustedDifferences.getVariance() / rawDifferences.getVariance();
        assertThat(empiricalRatio).isBetween(0.12, 0.3);
        assertThat(reportedVarianceRatio.getMean()).isCloseTo(0.2, within(0.01));
    }

    @Test
    void constantCovariateCannotBeFitted() {
        CovariateSums arm = CovariateSums.of(new double[] {1, 2, 3}, new double[] {5, 5, 5});
        assertThatThrownBy(() -> Cuped.fit(List.of(arm))).hasMessageContaining("covariate must vary");
    }

    /** X ~ N(10, 2^2), Y = X + effect + N(0, 1): corr^2 = 4 / 5. */
    private static CovariateSums simulateArm(SplittableRandom random, int n, double effect) {
        double[] y = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 10.0 + 2.0 * random.nextGaussian();
            y[i] = x[i] + effect + random.nextGaussian();
        }
        return CovariateSums.of(y, x);
    }
}
