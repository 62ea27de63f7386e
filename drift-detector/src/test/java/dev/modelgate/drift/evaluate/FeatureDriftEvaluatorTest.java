package dev.modelgate.drift.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.modelgate.drift.profile.ProfilerSettings;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.profile.ReferenceProfiler;
import dev.modelgate.drift.stats.ReferenceSamples;

class FeatureDriftEvaluatorTest {

    private final Random random = new Random(2024);

    @Test
    void numericFeaturesGetKsForSmallWindowsAndNormedWassersteinForLargeOnes() {
        ReferenceProfile reference = DriftData.numericReference(random, 2_000);
        FeatureDrift small = evaluate(reference, DriftData.numericWindow(reference, random, 1_000, 0.0));
        FeatureDrift large = evaluate(reference, DriftData.numericWindow(reference, random, 1_001, 0.0));

        assertThat(small.method()).isEqualTo(DriftMethod.KOLMOGOROV_SMIRNOV);
        assertThat(small.threshold()).isEqualTo(0.05);
        assertThat(large.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(large.threshold()).isEqualTo(0.1);
        assertThat(large.pValue()).isNaN();
    }

    @Test
    void halfSigmaMeanShiftIsDetectedOnBothPaths() {
        ReferenceProfile reference = DriftData.numericReference(random, 5_000);
        FeatureDrift small = evaluate(reference, DriftData.numericWindow(reference, random, 300, 0.5));
        FeatureDrift large = evaluate(reference, DriftData.numericWindow(reference, random, 5_000, 0.5));

        assertThat(small.method()).isEqualTo(DriftMethod.KOLMOGOROV_SMIRNOV);
        assertThat(small.drifted()).isTrue();
        assertThat(small.pValue()).isLessThan(1e-4);
        assertThat(large.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(large.drifted()).isTrue();
        // Shifting a distribution by 0.5σ moves every unit of mass 0.5σ.
        assertThat(large.statistic()).isCloseTo(0.5, within(0.06));
    }

    @Test
    void changedCategoryMixIsDetectedOnBothPaths() {
        ReferenceProfile reference = DriftData.categoricalReference(random, 5_000, DriftData.REFERENCE_MIX);
        FeatureDrift small = evaluate(reference, DriftData.categoricalWindow(reference, random, 300, DriftData.SHIFTED_MIX));
        FeatureDrift large = evaluate(reference, DriftData.categoricalWindow(reference, random, 5_000, DriftData.SHIFTED_MIX));

        assertThat(small.method()).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(small.drifted()).isTrue();
        assertThat(large.method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(large.drifted()).isTrue();
        // >>> jensenshannon([.5,.3,.2],[.3,.3,.4])  ->  0.17211473103812178 (population value)
        assertThat(large.statistic()).isCloseTo(0.1721, within(0.02));
    }

    @Test
    void unseenCategoriesArePooledWithHalfAPseudoCount() {
        ReferenceProfile reference = DriftData.categoricalCounts(Map.of("a", 50, "b", 30, "c", 20));
        CurrentWindow window = DriftData.categoricalCountsWindow(reference, Map.of("a", 10, "b", 10, "c", 5, "d", 2, "e", 1));

        // >>> ref = np.array([50,30,20,0.5]); obs = np.array([10,10,5,3])   # d and e pooled
        // >>> chisquare(obs, ref/ref.sum()*obs.sum())
        // Power_divergenceResult(statistic=60.23660714285715, pvalue=5.23233522241295e-13)
        FeatureDrift chi = evaluate(reference, window);
        assertThat(chi.statistic()).isCloseTo(60.23660714285715, withinPercentage(1e-9));
        assertThat(chi.pValue()).isCloseTo(5.23233522241295e-13, withinPercentage(1e-6));
        assertThat(chi.nCurrent()).isEqualTo(28);

        // >>> jensenshannon([50,30,20,0],[10,10,5,3])  ->  0.21132992382382076
        FeatureDrift js = evaluator(Map.of(DriftData.FEATURE, MethodChoice.withDefaultThreshold(DriftMethod.JENSEN_SHANNON)))
                .evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);
        assertThat(js.statistic()).isCloseTo(0.21132992382382076, within(1e-12));
    }

    @Test
    void normedWassersteinDividesByThePopulationStdOfTheReference() {
        // >>> wasserstein_distance(x, y) / np.std(x)   # the numpy sample file
        // 0.2233370208581686
        double[][] xy = ReferenceSamples.normalVersusShifted();
        ReferenceProfile reference = DriftData.numericReference(xy[0]);
        CurrentWindow window = DriftData.numericWindow(reference, xy[1]);
        FeatureDrift drift = evaluator(Map.of(DriftData.FEATURE, MethodChoice.withDefaultThreshold(DriftMethod.WASSERSTEIN_NORMED)))
                .evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);
        assertThat(drift.statistic()).isCloseTo(0.2233370208581686, within(1e-12));
        assertThat(drift.drifted()).isTrue();
    }

    @Test
    void binaryNumericFeaturesAreComparedAsCategories() {
        ReferenceProfiler profiler = new ReferenceProfiler(ProfilerSettings.defaults(), random);
        for (int i = 0; i < 1_000; i++) {
            profiler.accept(Map.of(DriftData.FEATURE, i % 10 == 0 ? 1 : 0));
        }
        ReferenceProfile reference = profiler.build();
        CurrentWindow.Builder window = CurrentWindow.builder(reference);
        for (int i = 0; i < 200; i++) {
            window.add(DriftData.FEATURE, i % 4 == 0 ? 1.0 : 0.0);
        }
        FeatureDrift drift = evaluate(reference, window.build());
        assertThat(drift.method()).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(drift.drifted()).isTrue();
    }

    @Test
    void overridesReplaceMethodAndThresholdButMustFitTheFeatureType() {
        ReferenceProfile reference = DriftData.numericReference(random, 2_000);
        CurrentWindow window = DriftData.numericWindow(reference, random, 300, 0.0);
        FeatureDrift psi = evaluator(Map.of(DriftData.FEATURE, new MethodChoice(DriftMethod.PSI, 0.2)))
                .evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);
        assertThat(psi.method()).isEqualTo(DriftMethod.PSI);
        assertThat(psi.threshold()).isEqualTo(0.2);
        assertThat(psi.drifted()).isFalse();

        ReferenceProfile categorical = DriftData.categoricalCounts(Map.of("a", 1, "b", 1));
        CurrentWindow categories = DriftData.categoricalCountsWindow(categorical, Map.of("a", 1));
        FeatureDriftEvaluator ks = evaluator(Map.of(DriftData.FEATURE, MethodChoice.withDefaultThreshold(DriftMethod.KOLMOGOROV_SMIRNOV)));
        assertThatThrownBy(() -> ks.evaluate(DriftData.FEATURE, categorical.feature(DriftData.FEATURE), categories))
                .hasMessageContaining("feature 'x' is categorical");
        assertThatThrownBy(() -> new MethodChoice(DriftMethod.CHI_SQUARE, 1.5)).hasMessageContaining("threshold for CHI_SQUARE");
    }

    private static FeatureDrift evaluate(ReferenceProfile reference, CurrentWindow window) {
        return evaluator(Map.of()).evaluate(DriftData.FEATURE, reference.feature(DriftData.FEATURE), window);
    }

    private static FeatureDriftEvaluator evaluator(Map<String, MethodChoice> overrides) {
        return new FeatureDriftEvaluator(new MethodSelector(DriftSettings.defaults().withOverrides(overrides)));
    }
}
