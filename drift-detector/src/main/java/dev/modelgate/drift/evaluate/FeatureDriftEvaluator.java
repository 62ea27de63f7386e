package dev.modelgate.drift.evaluate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.modelgate.drift.profile.CategoricalProfile;
import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.FeatureValues;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.QuantileBins;
import dev.modelgate.drift.stats.ChiSquareGoodnessOfFit;
import dev.modelgate.drift.stats.JensenShannon;
import dev.modelgate.drift.stats.KolmogorovSmirnov;
import dev.modelgate.drift.stats.PopulationStabilityIndex;
import dev.modelgate.drift.stats.TestOutcome;
import dev.modelgate.drift.stats.Wasserstein;

/** Compares one feature's current values with its reference profile. */
public final class FeatureDriftEvaluator {

    /**
     * Floor for the reference standard deviation that normalises Wasserstein (as Evidently), so a
     * constant reference feature does not divide by zero.
     */
    static final double MIN_NORMALISING_STD = 0.001;

    private final MethodSelector selector;
    private final KolmogorovSmirnov ks = new KolmogorovSmirnov();
    private final Wasserstein wasserstein = new Wasserstein();
    private final ChiSquareGoodnessOfFit chiSquare = new ChiSquareGoodnessOfFit();
    private final PopulationStabilityIndex psi = new PopulationStabilityIndex();
    private final JensenShannon jensenShannon = new JensenShannon();

    public FeatureDriftEvaluator(MethodSelector selector) {
        this.selector = selector;
    }

    /** @throws IllegalArgumentException when the window holds no value of the feature */
    public FeatureDrift evaluate(String feature, FeatureProfile reference, CurrentWindow window) {
        long nCurrent = window.size(feature);
        if (nCurrent == 0) {
            throw new IllegalArgumentException("the current window has no values of feature '" + feature + "'");
        }
        MethodChoice choice = selector.choose(feature, reference, nCurrent);
        if (choice.method().isNumericOnly()) {
            return onSample(feature, choice, (NumericProfile) reference, window.numericValues(feature));
        }
        return onCells(feature, choice, cellsOf(feature, reference, window));
    }

    private FeatureDrift onSample(String feature, MethodChoice choice, NumericProfile reference, double[] current) {
        if (current.length == 0) {
            throw new IllegalArgumentException("feature '" + feature + "' was given as counts only, but "
                    + choice.method() + " needs its values");
        }
        double[] sample = reference.sampleArray();
        if (choice.method() == DriftMethod.KOLMOGOROV_SMIRNOV) {
            TestOutcome outcome = ks.test(sample, current);
            return FeatureDrift.ofTest(feature, choice, outcome.statistic(), outcome.pValue(), sample.length, current.length);
        }
        double normalised = wasserstein.distance(sample, current) / Math.max(reference.std(), MIN_NORMALISING_STD);
        return FeatureDrift.ofDistance(feature, choice, normalised, sample.length, current.length);
    }

    private FeatureDrift onCells(String feature, MethodChoice choice, Cells cells) {
        long nReference = cells.referenceTotal();
        long nCurrent = Arrays.stream(cells.currentCounts()).sum();
        switch (choice.method()) {
            case CHI_SQUARE:
                TestOutcome outcome = chiSquare.test(cells.expectedWeights(), cells.currentCounts());
                return FeatureDrift.ofTest(feature, choice, outcome.statistic(), outcome.pValue(), nReference, nCurrent);
            case PSI:
                return FeatureDrift.ofDistance(feature, choice,
                        psi.index(cells.referenceWeights(), cells.currentWeights()), nReference, nCurrent);
            case JENSEN_SHANNON:
                return FeatureDrift.ofDistance(feature, choice,
                        jensenShannon.distance(cells.referenceWeights(), cells.currentWeights()), nReference, nCurrent);
            default:
                throw new IllegalStateException(choice.method() + " does not work on cells");
        }
    }

    private static Cells cellsOf(String feature, FeatureProfile reference, CurrentWindow window) {
        Map<String, Long> countedCategories = window.countedCategories(feature);
        if (reference instanceof CategoricalProfile) {
            Map<String, Long> referenceCounts = ((CategoricalProfile) reference).categoryCounts();
            return countedCategories != null
                    ? Cells.ofCategoryCounts(referenceCounts, countedCategories)
                    : Cells.ofCategories(referenceCounts, window.categoricalValues(feature));
        }
        NumericProfile numeric = (NumericProfile) reference;
        double[] current = window.numericValues(feature);
        if (numeric.isBinary()) {
            Map<String, Long> referenceCounts = new LinkedHashMap<>();
            numeric.binaryValueCounts().forEach((value, count) -> referenceCounts.put(FeatureValues.numericCategory(value), count));
            if (countedCategories != null) {
                return Cells.ofCategoryCounts(referenceCounts, countedCategories);
            }
            List<String> labels = Arrays.stream(current).mapToObj(FeatureValues::numericCategory).collect(Collectors.toList());
            return Cells.ofCategories(referenceCounts, labels);
        }
        double[] edges = numeric.binEdgeArray();
        long[] referenceCounts = numeric.binCounts().stream().mapToLong(Long::longValue).toArray();
        long[] countedBins = window.countedBins(feature);
        return Cells.align(referenceCounts, countedBins != null ? countedBins : QuantileBins.counts(current, edges));
    }
}
