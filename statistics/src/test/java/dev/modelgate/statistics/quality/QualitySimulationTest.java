package dev.modelgate.statistics.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * Claims about error rates, checked by simulation with fixed seeds: the CBPE estimate lands within its
 * stated error of the realised metric as often as the confidence level says when scores are
 * calibrated, and the degradation tests raise false alarms at their nominal rate when nothing changed
 * (A/A). The tolerance bands are ±3 binomial standard errors of the simulated rate.
 */
class QualitySimulationTest {

    private static final int RUNS = 400;
    private static final int WINDOW = 1_000;

    private final BinaryQuality binary = new BinaryQuality(0.5, 10, Confidence.NINETY_FIVE, new Bootstrap(20, 1));
    private final ConfidenceBasedEstimation cbpe = new ConfidenceBasedEstimation(0.5, Confidence.NINETY_FIVE);

    @Test
    void estimatedAucAndAccuracyCoverTheRealisedOnesAtTheStatedLevelOnCalibratedScores() {
        SplittableRandom random = new SplittableRandom(7);
        BetaDistribution scores = new BetaDistribution(new Well19937c(7), 2, 3);
        int aucCovered = 0;
        int accuracyCovered = 0;
        double worstAucGap = 0;
        for (int run = 0; run < RUNS; run++) {
            double[] s = new double[WINDOW];
            int[] y = new int[WINDOW];
            for (int i = 0; i < WINDOW; i++) {
                s[i] = Math.round(scores.sample() * 1e4) / 1e4;
                y[i] = random.nextDouble() < s[i] ? 1 : 0;
            }
            PerformanceEstimate estimate = cbpe.estimate(counts(s));
            BinaryReport realised = binary.evaluate(QualityReferenceTest.table(s, y));
            aucCovered += within(estimate.rocAuc(), realised.rocAuc().value()) ? 1 : 0;
            accuracyCovered += within(estimate.accuracy(), realised.accuracy().value()) ? 1 : 0;
            worstAucGap = Math.max(worstAucGap, Math.abs(estimate.rocAuc().value() - realised.rocAuc().value()));
        }
        // 95% intervals: 380 of 400 expected, binomial sd 4.4
        assertThat(aucCovered).isBetween(367, 400);
        assertThat(accuracyCovered).isBetween(367, 393);
        assertThat(worstAucGap).isLessThan(0.08);
    }

    @Test
    void aucDegradationTestFalseAlarmRateIsNominalWhenNothingChanged() {
        SplittableRandom random = new SplittableRandom(11);
        DegradationTest test = new DegradationTest(0.05);
        int alarms = 0;
        for (int run = 0; run < RUNS; run++) {
            MetricEstimate baseline = binary.evaluate(window(random, 0)).rocAuc();
            MetricEstimate current = binary.evaluate(window(random, 0)).rocAuc();
            alarms += test.estimates(baseline, current, true).degraded() ? 1 : 0;
        }
        // 5% of 400 = 20, binomial sd 4.4
        assertThat(alarms).isBetween(7, 33);
    }

    @Test
    void accuracyDegradationTestFalseAlarmRateIsNominalWhenNothingChanged() {
        SplittableRandom random = new SplittableRandom(13);
        DegradationTest test = new DegradationTest(0.05);
        int alarms = 0;
        for (int run = 0; run < RUNS; run++) {
            Confusion baseline = window(random, 0).confusion(0.5);
            Confusion current = window(random, 0).confusion(0.5);
            alarms += test.proportions(correct(baseline), baseline.n(), correct(current), current.n()).degraded() ? 1 : 0;
        }
        assertThat(alarms).isBetween(7, 33);
    }

    @Test
    void aucDegradationTestDetectsAModelThatLostItsSignal() {
        SplittableRandom random = new SplittableRandom(17);
        DegradationTest test = new DegradationTest(0.05);
        int detected = 0;
        for (int run = 0; run < 50; run++) {
            MetricEstimate baseline = binary.evaluate(window(random, 0)).rocAuc();
            // half of the labels replaced by coin flips: the AUC falls from ~0.83 to ~0.67
            MetricEstimate current = binary.evaluate(window(random, 0.5)).rocAuc();
            detected += test.estimates(baseline, current, true).degraded() ? 1 : 0;
        }
        assertThat(detected).isEqualTo(50);
    }

    /** Uniform scores with calibrated labels, a share {@code noise} of them replaced by coin flips. */
    private static ScoreTable window(SplittableRandom random, double noise) {
        double[] s = new double[WINDOW];
        int[] y = new int[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            s[i] = Math.round(random.nextDouble() * 1e3) / 1e3;
            double p = random.nextDouble() < noise ? 0.5 : s[i];
            y[i] = random.nextDouble() < p ? 1 : 0;
        }
        return QualityReferenceTest.table(s, y);
    }

    private static long correct(Confusion c) {
        return c.truePositives() + c.trueNegatives();
    }

    private static boolean within(MetricEstimate estimate, double realised) {
        return realised >= estimate.lower() && realised <= estimate.upper();
    }

    private static List<ScoreCount> counts(double[] scores) {
        List<ScoreCount> counts = new ArrayList<>();
        for (double s : scores) {
            counts.add(new ScoreCount(s, 1));
        }
        return counts;
    }
}
