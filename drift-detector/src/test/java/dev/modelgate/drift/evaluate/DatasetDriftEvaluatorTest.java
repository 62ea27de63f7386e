package dev.modelgate.drift.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;

class DatasetDriftEvaluatorTest {

    private static final List<String> NUMERIC = List.of("n1", "n2", "n3");
    private static final String CATEGORICAL = "c1";
    private static final int NULL_WINDOWS = 300;

    private final Random random = new Random(99);
    private final DatasetDriftEvaluator evaluator = new DatasetDriftEvaluator(DriftSettings.defaults());
    private final ReferenceProfile reference = reference(2_000);

    @Test
    void windowsFromTheReferenceDistributionAlarmAtMostAtTheNominalRate() {
        int ksTests = 0;
        int ksAlarmsBeforeFdr = 0;
        int windowsWithAnyAlarm = 0;
        int datasetAlarms = 0;
        for (int w = 0; w < NULL_WINDOWS; w++) {
            DatasetDrift verdict = evaluator.evaluate(reference, window(200, 0.0, DriftData.REFERENCE_MIX));
            for (FeatureDrift feature : verdict.features()) {
                if (feature.method() == DriftMethod.KOLMOGOROV_SMIRNOV) {
                    ksTests++;
                    ksAlarmsBeforeFdr += feature.pValue() < 0.05 ? 1 : 0;
                }
            }
            windowsWithAnyAlarm += verdict.driftedCount() > 0 ? 1 : 0;
            datasetAlarms += verdict.drifted() ? 1 : 0;
        }
        assertThat(ksTests).isEqualTo(3 * NULL_WINDOWS);
        // Nominal 5 % per test; two binomial standard errors of slack for 900 tests (0.0145).
        assertThat((double) ksAlarmsBeforeFdr / ksTests).isBetween(0.02, 0.0645);
        // Under the global null BH keeps P(any flag) at the FDR level, 5 %; 2 s.e. for 300 windows (0.025).
        assertThat((double) windowsWithAnyAlarm / NULL_WINDOWS).isLessThanOrEqualTo(0.075);
        assertThat((double) datasetAlarms / NULL_WINDOWS).isLessThanOrEqualTo(0.05);
    }

    @Test
    void benjaminiHochbergRaisesPValuesBeforeThresholds() {
        DatasetDrift verdict = evaluator.evaluate(reference, window(200, 0.0, DriftData.REFERENCE_MIX));
        for (FeatureDrift feature : verdict.features()) {
            assertThat(feature.adjustedPValue()).isGreaterThanOrEqualTo(feature.pValue());
            assertThat(feature.drifted()).isEqualTo(feature.adjustedPValue() < feature.threshold());
        }
    }

    @Test
    void shiftedFeaturesMakeTheDatasetDriftInBothSamplePaths() {
        for (int size : new int[] {300, 3_000}) {
            DatasetDrift verdict = evaluator.evaluate(reference, window(size, 0.5, DriftData.SHIFTED_MIX));
            assertThat(verdict.features()).allMatch(FeatureDrift::drifted);
            assertThat(verdict.driftedShare()).isEqualTo(1.0);
            assertThat(verdict.drifted()).isTrue();
            assertThat(verdict.smallestCurrentSize()).isEqualTo(size);
        }
    }

    @Test
    void aMinorityOfDriftedFeaturesIsReportedButDoesNotFlagTheDataset() {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        for (int i = 0; i < 300; i++) {
            window.add("n1", random.nextGaussian() + 1.0);
            window.add("n2", random.nextGaussian());
            window.add("n3", random.nextGaussian());
        }
        DatasetDrift verdict = evaluator.evaluate(reference, window.build());
        assertThat(verdict.features()).extracting(FeatureDrift::feature).containsExactly("n1", "n2", "n3");
        assertThat(verdict.features().get(0).drifted()).isTrue();
        assertThat(verdict.featuresWithoutData()).containsExactly(CATEGORICAL);
        assertThat(verdict.driftedShare()).isLessThan(0.5);
        assertThat(verdict.drifted()).isFalse();
    }

    private ReferenceProfile reference(int size) {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(5));
        feed(size, 0.0, DriftData.REFERENCE_MIX, profiler::accept);
        return profiler.build();
    }

    private CurrentWindow window(int size, double shift, double[] mix) {
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        feed(size, shift, mix, window::accept);
        return window.build();
    }

    private void feed(int rows, double shift, double[] mix, Consumer<Map<String, Object>> sink) {
        Random categories = new Random(random.nextLong());
        for (int i = 0; i < rows; i++) {
            Map<String, Object> row = new HashMap<>();
            NUMERIC.forEach(f -> row.put(f, random.nextGaussian() + shift));
            double u = categories.nextDouble();
            row.put(CATEGORICAL, u < mix[0] ? "a" : u < mix[0] + mix[1] ? "b" : "c");
            sink.accept(row);
        }
    }
}
