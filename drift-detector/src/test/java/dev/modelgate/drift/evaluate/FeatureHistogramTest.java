package dev.modelgate.drift.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.QuantileBins;
import dev.modelgate.drift.profile.ReferenceProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the console draws as "reference vs current": the cells the drift tests read, with both windows' counts. */
class FeatureHistogramTest {

    private final Random random = new Random(19);

    @Test
    void aNumericFeatureIsCountedOnTheReferencesQuantileBins() {
        ReferenceProfile reference = DriftData.numericReference(random, 3_000);
        NumericProfile profile = (NumericProfile) reference.feature(DriftData.FEATURE);
        double[] values = random.doubles(2_000).map(u -> u * 4 + 1).toArray();

        FeatureHistogram histogram = FeatureHistogram.of(DriftData.FEATURE, profile, DriftData.numericWindow(reference, values));

        double[] edges = profile.binEdgeArray();
        assertThat(histogram.labels()).hasSize(edges.length + 1);
        assertThat(histogram.labels().get(0)).startsWith("≤ ");
        assertThat(histogram.labels().get(edges.length)).startsWith("> ");
        assertThat(histogram.reference()).isEqualTo(profile.binCounts());
        assertThat(histogram.current()).isEqualTo(Arrays.stream(QuantileBins.counts(values, edges)).boxed().toList());
        assertThat(histogram.current().stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
    }

    @Test
    void aCategoricalFeatureShowsEveryCategoryOfEitherWindow() {
        ReferenceProfile reference = DriftData.categoricalCounts(Map.of("a", 50, "b", 30, "c", 20));
        CurrentWindow window = DriftData.categoricalCountsWindow(reference, Map.of("a", 10, "c", 40, "new", 5));

        FeatureHistogram histogram = FeatureHistogram.of(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);

        assertThat(histogram.labels()).containsExactly("a", "b", "c", "new");
        assertThat(histogram.reference()).containsExactly(50L, 30L, 20L, 0L);
        assertThat(histogram.current()).containsExactly(10L, 0L, 40L, 5L);
    }

    @Test
    void aWindowWithoutTheFeatureHasNoHistogram() {
        ReferenceProfile reference = DriftData.numericReference(random, 500);
        CurrentWindow empty = CurrentWindow.builder(reference).build();
        assertThat(FeatureHistogram.of(DriftData.FEATURE, reference.feature(DriftData.FEATURE), empty)).isNull();
        assertThat(new FeatureHistogram("x", List.of("a"), List.of(1L), List.of(2L)).labels()).containsExactly("a");
    }
}
