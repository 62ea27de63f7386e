package dev.modelgate.drift.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.QuantileBins;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window given as counts (aggregated by a database) must be judged exactly like the same window
 * given value by value; the statistics themselves are checked against SciPy in the other tests.
 */
class CountedWindowTest {

    private final Random random = new Random(7);

    @Test
    void binCountsGiveTheSameCellStatisticsAsTheValues() {
        ReferenceProfile reference = DriftData.numericReference(random, 3_000);
        double[] values = random.doubles(4_000).map(u -> u * 3 - 1).toArray();
        double[] edges = ((NumericProfile) reference.feature(DriftData.FEATURE)).binEdgeArray();
        CurrentWindow fromValues = DriftData.numericWindow(reference, values);
        CurrentWindow fromCounts = CurrentWindow.builder(reference)
                .binCounts(DriftData.FEATURE, QuantileBins.counts(values, edges)).build();

        for (DriftMethod method : new DriftMethod[] {DriftMethod.PSI, DriftMethod.JENSEN_SHANNON, DriftMethod.CHI_SQUARE}) {
            FeatureDrift expected = evaluate(reference, fromValues, method);
            FeatureDrift counted = evaluate(reference, fromCounts, method);
            assertThat(counted.statistic()).as(method.name()).isEqualTo(expected.statistic());
            assertThat(counted.drifted()).as(method.name()).isEqualTo(expected.drifted());
            assertThat(counted.nCurrent()).isEqualTo(4_000);
        }
    }

    @Test
    void theCountedTotalChoosesTheMethodWhileTheSampleFeedsWasserstein() {
        ReferenceProfile reference = DriftData.numericReference(random, 3_000);
        double[] all = random.doubles(50_000).map(u -> random.nextGaussian() + 0.5).toArray();
        double[] sample = Arrays.copyOf(all, 800);
        double[] edges = ((NumericProfile) reference.feature(DriftData.FEATURE)).binEdgeArray();
        CurrentWindow.Builder builder = CurrentWindow.builder(reference).binCounts(DriftData.FEATURE, QuantileBins.counts(all, edges));
        for (double v : sample) {
            builder.add(DriftData.FEATURE, v);
        }
        CurrentWindow window = builder.build();

        FeatureDrift drift = new FeatureDriftEvaluator(new MethodSelector(DriftSettings.defaults()))
                .evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);

        // 800 values alone would get KS; 50,000 counted values are a large window
        assertThat(window.size(DriftData.FEATURE)).isEqualTo(50_000);
        assertThat(drift.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(drift.nCurrent()).isEqualTo(800);
        assertThat(drift.statistic()).isEqualTo(evaluate(reference, DriftData.numericWindow(reference, sample),
                DriftMethod.WASSERSTEIN_NORMED).statistic());
    }

    @Test
    void categoryCountsGiveTheSameStatisticsAsTheLabels() {
        ReferenceProfile reference = DriftData.categoricalReference(random, 2_000, DriftData.REFERENCE_MIX);
        Map<String, Integer> current = Map.of("a", 300, "b", 310, "c", 390, "new", 25);
        Map<String, Long> counts = new LinkedHashMap<>();
        current.forEach((category, n) -> counts.put(category, n.longValue()));
        CurrentWindow fromLabels = DriftData.categoricalCountsWindow(reference, current);
        CurrentWindow fromCounts = CurrentWindow.builder(reference).categoryCounts(DriftData.FEATURE, counts).build();

        for (DriftMethod method : new DriftMethod[] {DriftMethod.PSI, DriftMethod.JENSEN_SHANNON, DriftMethod.CHI_SQUARE}) {
            assertThat(evaluate(reference, fromCounts, method).statistic()).as(method.name())
                    .isEqualTo(evaluate(reference, fromLabels, method).statistic());
        }
    }

    @Test
    void binaryNumericFeaturesTakeCountsPerValueLabel() {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(1));
        for (int i = 0; i < 1_000; i++) {
            profiler.accept(Map.of(DriftData.FEATURE, i % 10 == 0 ? 1.0 : 0.0));
        }
        ReferenceProfile reference = profiler.build();
        CurrentWindow.Builder values = CurrentWindow.builder(reference);
        for (int i = 0; i < 600; i++) {
            values.add(DriftData.FEATURE, i % 4 == 0 ? 1.0 : 0.0);
        }
        CurrentWindow fromCounts = CurrentWindow.builder(reference)
                .categoryCounts(DriftData.FEATURE, Map.of("0", 450L, "1", 150L)).build();

        FeatureDrift counted = evaluate(reference, fromCounts, DriftMethod.CHI_SQUARE);
        assertThat(counted.statistic()).isEqualTo(evaluate(reference, values.build(), DriftMethod.CHI_SQUARE).statistic());
        assertThat(counted.drifted()).isTrue();
    }

    @Test
    void countsThatDoNotFitTheReferenceAreRefusedNamingTheFeature() {
        ReferenceProfile reference = DriftData.numericReference(random, 1_000);
        CurrentWindow.Builder builder = CurrentWindow.builder(reference);

        assertThatThrownBy(() -> builder.binCounts(DriftData.FEATURE, new long[] {1, 2}))
                .hasMessageContaining("'x'").hasMessageContaining("reference bins");
        assertThatThrownBy(() -> builder.categoryCounts(DriftData.FEATURE, Map.of("a", 1L)))
                .hasMessageContaining("'x'").hasMessageContaining("bin counts");
        long[] negative = new long[((NumericProfile) reference.feature(DriftData.FEATURE)).binCounts().size()];
        negative[0] = -1;
        assertThatThrownBy(() -> builder.binCounts(DriftData.FEATURE, negative)).hasMessageContaining(">= 0");
    }

    @Test
    void countsAloneCannotFeedSampleMethods() {
        ReferenceProfile reference = DriftData.numericReference(random, 1_000);
        long[] counts = new long[((NumericProfile) reference.feature(DriftData.FEATURE)).binCounts().size()];
        Arrays.fill(counts, 10);
        CurrentWindow window = CurrentWindow.builder(reference).binCounts(DriftData.FEATURE, counts).build();

        assertThatThrownBy(() -> evaluate(reference, window, DriftMethod.KOLMOGOROV_SMIRNOV))
                .hasMessageContaining("counts only");
    }

    private static FeatureDrift evaluate(ReferenceProfile reference, CurrentWindow window, DriftMethod method) {
        DriftSettings settings = DriftSettings.defaults()
                .withOverrides(Map.of(DriftData.FEATURE, MethodChoice.withDefaultThreshold(method)));
        return new FeatureDriftEvaluator(new MethodSelector(settings))
                .evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);
    }
}
