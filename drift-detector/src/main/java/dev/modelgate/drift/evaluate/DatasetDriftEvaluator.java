package dev.modelgate.drift.evaluate;

import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.statistics.multiplicity.PValueAdjustment;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares every feature of a window and decides whether the dataset drifted.
 *
 * <p>With many features, testing each at 5 % flags some feature in most windows even when nothing
 * changed. The p-values of the p-value tests (KS, chi-square) are therefore adjusted with
 * Benjamini–Hochberg across the window's features before each is compared with its threshold, which
 * keeps the expected share of false alarms among flagged features at that level. Distances (PSI,
 * Jensen–Shannon, Wasserstein) have no sampling distribution here and are compared with their
 * thresholds as they are.
 */
public final class DatasetDriftEvaluator {

    private final DriftSettings settings;
    private final FeatureDriftEvaluator featureEvaluator;

    public DatasetDriftEvaluator(DriftSettings settings) {
        this.settings = settings;
        this.featureEvaluator = new FeatureDriftEvaluator(new MethodSelector(settings));
    }

    public DatasetDrift evaluate(ReferenceProfile reference, CurrentWindow window) {
        List<FeatureDrift> raw = new ArrayList<>();
        List<String> withoutData = new ArrayList<>();
        reference.features().forEach((feature, profile) -> {
            if (window.size(feature) == 0) {
                withoutData.add(feature);
            } else {
                raw.add(featureEvaluator.evaluate(feature, profile, window));
            }
        });
        List<FeatureDrift> judged = adjusted(raw);
        long drifted = judged.stream().filter(FeatureDrift::drifted).count();
        double share = judged.isEmpty() ? 0.0 : (double) drifted / judged.size();
        long smallest = judged.stream().mapToLong(FeatureDrift::nCurrent).min().orElse(0);
        return new DatasetDrift(judged, withoutData, share, settings.driftShare(),
                !judged.isEmpty() && share >= settings.driftShare(), smallest);
    }

    private List<FeatureDrift> adjusted(List<FeatureDrift> results) {
        double[] pValues = results.stream().filter(r -> r.method().isPValueBased()).mapToDouble(FeatureDrift::pValue).toArray();
        double[] adjusted = PValueAdjustment.BENJAMINI_HOCHBERG.adjust(pValues);
        List<FeatureDrift> out = new ArrayList<>(results.size());
        int next = 0;
        for (FeatureDrift result : results) {
            out.add(result.method().isPValueBased() ? result.withAdjustedPValue(adjusted[next++]) : result);
        }
        return out;
    }
}
