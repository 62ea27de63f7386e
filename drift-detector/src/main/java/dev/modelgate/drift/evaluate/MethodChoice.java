package dev.modelgate.drift.evaluate;

/**
 * A drift method and the threshold its result is compared with.
 *
 * @param threshold for p-value methods the significance level in (0, 1); for distances a positive cut-off
 */
public record MethodChoice(DriftMethod method, double threshold) {

    public MethodChoice {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        if (!(threshold > 0.0) || Double.isInfinite(threshold) || (method.isPValueBased() && threshold >= 1.0)) {
            throw new IllegalArgumentException("threshold for " + method + " must be "
                    + (method.isPValueBased() ? "in (0, 1)" : "positive and finite") + ", was " + threshold);
        }
    }

    public static MethodChoice withDefaultThreshold(DriftMethod method) {
        return new MethodChoice(method, method.defaultThreshold());
    }
}
