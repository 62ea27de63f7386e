package dev.modelgate.drift.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.modelgate.drift.stats.ReferenceSamples;

class ReferenceProfilerTest {

    @Test
    void numericBinsAreNumpyDecilesOfTheReference() {
        // >>> np.quantile(x, [k/10 for k in range(1,10)])   # x: the 400 values of the sample file
        double[] numpyDeciles = {-1.3596737628783775, -0.8177798482435238, -0.488233357500205, -0.22334576809490295,
            -0.004449892985969201, 0.21510857673171452, 0.45495209960066585, 0.6957538966279994, 1.146846118303874};
        double[] x = ReferenceSamples.normalVersusShifted()[0];
        NumericProfile profile = (NumericProfile) profileOf("x", x, ProfilerSettings.defaults()).feature("x");

        assertThat(profile.binEdgeArray()).containsExactly(numpyDeciles, within(1e-12));
        // 400 distinct values in 10 decile bins: 40 each.
        assertThat(profile.binCounts()).containsOnly(40L);
        assertThat(profile.count()).isEqualTo(400);
        assertThat(profile.mean()).isCloseTo(Arrays.stream(x).average().orElseThrow(), within(1e-12));
        assertThat(profile.isBinary()).isFalse();
    }

    @Test
    void discreteValuesGetOneBinPerValueInsteadOfEmptyDuplicates() {
        double[] values = new double[90];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 3; // 0, 1, 2 in equal thirds
        }
        NumericProfile profile = (NumericProfile) profileOf("level", values, ProfilerSettings.defaults()).feature("level");
        assertThat(profile.binEdges()).containsExactly(0.0, 1.0, 2.0);
        assertThat(profile.binCounts()).containsExactly(30L, 30L, 30L, 0L);
    }

    @Test
    void reservoirIsBoundedAndRepeatableWithTheSameSeed() {
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        ProfilerSettings settings = ProfilerSettings.defaults().withReservoirCapacity(500);
        NumericProfile first = (NumericProfile) profileOf("v", values, settings).feature("v");
        NumericProfile again = (NumericProfile) profileOf("v", values, settings).feature("v");

        assertThat(first.sample()).hasSize(500);
        assertThat(first.sample()).isEqualTo(again.sample());
        assertThat(first.count()).isEqualTo(20_000);
        assertThat(first.max()).isEqualTo(19_999.0);
        // A uniform sample of 0..19999 has its median near 10000 (s.e. about 260 for 500 draws).
        assertThat(first.binEdges().get(4)).isCloseTo(10_000.0, within(1_300.0));
    }

    @Test
    void categoriesAndBinaryNumbersAreCountedExactly() {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(1));
        for (int i = 0; i < 10; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("country", i < 7 ? "DE" : "FR");
            row.put("clicked", i % 5 == 0 ? 1 : 0);
            row.put("score", i < 9 ? i * 0.5 : Double.NaN);
            profiler.accept(row);
        }
        ReferenceProfile profile = profiler.build();

        CategoricalProfile country = (CategoricalProfile) profile.feature("country");
        assertThat(country.categoryCounts()).containsExactly(Map.entry("DE", 7L), Map.entry("FR", 3L));
        assertThat(country.frequency("FR")).isEqualTo(0.3);
        NumericProfile clicked = (NumericProfile) profile.feature("clicked");
        assertThat(clicked.binaryValueCounts()).containsExactly(Map.entry(0.0, 8L), Map.entry(1.0, 2L));
        NumericProfile score = (NumericProfile) profile.feature("score");
        assertThat(score.count()).isEqualTo(9);
        assertThat(score.missing()).isEqualTo(1);
        assertThat(score.isBinary()).isFalse();
    }

    @Test
    void declaredTypesWinOverTheFirstValueAndBadValuesNameTheFeature() {
        ProfilerSettings settings = ProfilerSettings.defaults()
                .withDeclaredTypes(Map.of("zip", FeatureType.CATEGORICAL, "age", FeatureType.NUMERIC));
        ReferenceProfiler profiler = new ReferenceProfiler(settings, new Random(1));
        profiler.accept(Map.of("zip", 10115, "age", "42"));
        ReferenceProfile profile = profiler.build();
        assertThat(((CategoricalProfile) profile.feature("zip")).categoryCounts()).containsOnlyKeys("10115");
        assertThat(((NumericProfile) profile.feature("age")).mean()).isEqualTo(42.0);

        assertThatThrownBy(() -> profiler.accept(Map.of("age", "old"))).hasMessageContaining("feature 'age' is numeric");
    }

    @Test
    void survivesARoundTripThroughPlainMaps() {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), new Random(7));
        Random data = new Random(3);
        for (int i = 0; i < 300; i++) {
            profiler.accept(Map.of("x", data.nextGaussian(), "colour", List.of("red", "green", "blue").get(i % 3),
                    "flag", i % 4 == 0 ? 1.0 : 0.0));
        }
        ReferenceProfile profile = profiler.build();

        Map<String, Object> map = ProfileMaps.toMap(profile);
        assertThat(ProfileMaps.fromMap(map)).isEqualTo(profile);
    }

    @Test
    void readingABrokenMapNamesTheField() {
        Map<String, Object> map = ProfileMaps.toMap(profileOf("x", new double[] {1, 2, 3}, ProfilerSettings.defaults()));
        @SuppressWarnings("unchecked")
        Map<String, Object> x = (Map<String, Object>) ((Map<String, Object>) map.get("features")).get("x");
        x.put("binCounts", List.of(1, 1));

        assertThatThrownBy(() -> ProfileMaps.fromMap(map)).hasMessageContaining("features.x").hasMessageContaining("binCounts");
        x.put("std", "wide");
        assertThatThrownBy(() -> ProfileMaps.fromMap(map)).hasMessageContaining("features.x.std must hold numbers");
    }

    static ReferenceProfile profileOf(String feature, double[] values, ProfilerSettings settings) {
        ReferenceProfiler profiler = new ReferenceProfiler(settings, new Random(42));
        for (double v : values) {
            profiler.accept(Map.of(feature, v));
        }
        return profiler.build();
    }
}
