package dev.modelgate.inference.xgboost;

import java.util.Locale;
import java.util.Map;

/** Which of XGBoost's predictions a variant serves. */
public enum XgboostOutput {
    /**
     * The objective's own output: a probability for {@code binary:logistic}, one probability per class
     * for {@code multi:softprob}, the predicted value for {@code reg:*}. What {@code Booster.predict} returns.
     */
    PREDICTION("0"),
    /** The raw score before the objective's link function, e.g. the log-odds for {@code binary:logistic}. */
    MARGIN("1");

    private final String predictOptionMask;

    XgboostOutput(String predictOptionMask) {
        this.predictOptionMask = predictOptionMask;
    }

    /**
     * DJL's XGBoost model options that select this output. DJL 0.35.0's {@code JniUtils.inference}
     * passes its {@code TreeLimit} option as XGBoost's {@code option_mask} (1 = output margin) and its
     * {@code Mode} as {@code ntree_limit}, the other way round; so {@code Mode=OUTPUT_MARGIN} would
     * predict with the first tree only. Setting the mask through {@code TreeLimit} with the default
     * mode (0 = every tree) gets the margin; XgboostBackendTest compares it with xgboost4j's and
     * fails if a DJL upgrade fixes the order.
     */
    Map<String, String> djlOptions() {
        return Map.of("Mode", "DEFAULT", "TreeLimit", predictOptionMask);
    }

    /** Parses {@code prediction|margin}, case-insensitively. */
    public static XgboostOutput parse(String text) {
        if (text != null) {
            for (XgboostOutput output : values()) {
                if (output.name().equalsIgnoreCase(text.trim())) {
                    return output;
                }
            }
        }
        throw new IllegalArgumentException("output must be prediction or margin, got '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
