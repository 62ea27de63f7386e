package dev.modelgate.gateway.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.statistics.quality.MetricEstimate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which evidence a window is judged on, and what the verdict says when there is none. */
class QualityJudgeTest {

    private final QualityJudge judge = new QualityJudge(200, 0.01);
    private final Optional<Baseline> baseline = Optional.of(new Baseline("m", "v1", "upload", Instant.EPOCH,
            set(5_000, Map.of("roc_auc", auc(0.83, 0.006, 5_000), "accuracy", new MetricEstimate(0.80, 0.79, 0.81, 0.0057, 5_000)))));

    @Test
    void enoughLabelsAreJudgedOnTheRealisedValue() {
        Judgement j = judge.judge("roc_auc", set(400, Map.of("roc_auc", auc(0.60, 0.03, 400))),
                Optional.of(set(400, Map.of("roc_auc", auc(0.83, 0.02, 400)))), baseline);

        assertThat(j.source()).isEqualTo("realised");
        assertThat(j.verdict()).isEqualTo(WindowVerdict.DRIFT);
        assertThat(j.test().orElseThrow().pValue()).isLessThan(1e-6);
    }

    @Test
    void missingLabelsAreJudgedOnTheEstimateOfTheLatestWindow() {
        Judgement j = judge.judge("roc_auc", set(10, Map.of("roc_auc", auc(0.5, 0.2, 10))),
                Optional.of(set(400, Map.of("roc_auc", auc(0.82, 0.02, 400)))), baseline);

        assertThat(j.source()).isEqualTo("estimated");
        assertThat(j.verdict()).isEqualTo(WindowVerdict.NO_DRIFT);
        assertThat(j.sampleSize()).isEqualTo(400);
    }

    @Test
    void accuracyIsComparedWithTheTwoProportionTest() {
        Judgement j = judge.judge("accuracy", set(1_000, Map.of("accuracy", new MetricEstimate(0.76, 0.73, 0.79, 0.0135, 1_000))),
                Optional.empty(), baseline);

        // pooled z for 4000/5000 vs 760/1000
        double pooled = (4_000 + 760) / 6_000.0;
        double z = (0.80 - 0.76) / Math.sqrt(pooled * (1 - pooled) * (1 / 5_000.0 + 1 / 1_000.0));
        assertThat(j.test().orElseThrow().z()).isCloseTo(z, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(j.verdict()).isEqualTo(WindowVerdict.DRIFT);
    }

    @Test
    void withoutBaselineOrDataTheWindowIsUnknownAndSaysWhy() {
        assertThat(judge.judge("roc_auc", set(400, Map.of("roc_auc", auc(0.6, 0.03, 400))), Optional.empty(), Optional.empty()).reason())
                .contains("no baseline");
        Judgement few = judge.judge("roc_auc", set(50, Map.of("roc_auc", auc(0.6, 0.07, 50))), Optional.of(set(80, Map.of())), baseline);
        assertThat(few.verdict()).isEqualTo(WindowVerdict.UNKNOWN);
        assertThat(few.reason()).contains("50 < quality.min_samples 200").contains("predictions to estimate it: 80");
    }

    private static MetricEstimate auc(double value, double se, long n) {
        return new MetricEstimate(value, value - 1.96 * se, value + 1.96 * se, se, n);
    }

    private static MetricSet set(long n, Map<String, MetricEstimate> metrics) {
        return new MetricSet(n, metrics, List.of());
    }
}
