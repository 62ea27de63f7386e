package dev.modelgate.drift.evaluate;

import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.NumericProfile;

/**
 * Picks the comparison for a feature. Current windows of at most {@code smallSampleLimit} values get a
 * test with a p-value (KS for numeric, chi-square for categorical), larger ones a distance with threshold
 * 0.1 (normalised Wasserstein for numeric, Jensen–Shannon for categorical), because with thousands of
 * rows any negligible difference becomes "significant". Numeric features with at most two distinct
 * reference values are compared as categorical. A per-feature override wins.
 *
 * <p>This is ModelGate's own rule, not Evidently's: Evidently decides by the <em>reference</em> size,
 * treats up to five distinct values as categorical and tests binary features with a z-test. Deciding by
 * the current window keeps the test matched to the data it is run on.
 */
public final class MethodSelector {

    private final DriftSettings settings;

    public MethodSelector(DriftSettings settings) {
        this.settings = settings;
    }

    public MethodChoice choose(String feature, FeatureProfile reference, long currentSize) {
        MethodChoice override = settings.overrides().get(feature);
        if (override != null) {
            if (override.method().isNumericOnly() && !(reference instanceof NumericProfile)) {
                throw new IllegalArgumentException("feature '" + feature + "' is categorical; "
                        + override.method() + " needs a numeric feature");
            }
            return override;
        }
        boolean small = currentSize <= settings.smallSampleLimit();
        DriftMethod method = comparedAsNumeric(reference)
                ? (small ? DriftMethod.KOLMOGOROV_SMIRNOV : DriftMethod.WASSERSTEIN_NORMED)
                : (small ? DriftMethod.CHI_SQUARE : DriftMethod.JENSEN_SHANNON);
        return MethodChoice.withDefaultThreshold(method);
    }

    static boolean comparedAsNumeric(FeatureProfile reference) {
        return reference instanceof NumericProfile && !((NumericProfile) reference).isBinary();
    }
}
