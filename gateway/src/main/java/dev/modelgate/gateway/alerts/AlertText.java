package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.evaluate.FeatureDrift;
import java.util.Locale;
import java.util.stream.Collectors;

/** The human-readable pieces shared by every alert format. */
final class AlertText {

    private AlertText() {
    }

    static String features(DriftAlert alert) {
        return alert.driftedFeatures().stream().map(FeatureDrift::feature).collect(Collectors.joining(", "));
    }

    /** e.g. "amount: wasserstein_normed=0.8312 (threshold 0.1); is_foreign: chi_square p=0.0001 (threshold 0.05)" */
    static String statistics(DriftAlert alert) {
        return alert.driftedFeatures().stream().map(AlertText::statistic).collect(Collectors.joining("; "));
    }

    static String window(DriftAlert alert) {
        return alert.window().start() + " .. " + alert.window().end();
    }

    static String share(DriftAlert alert) {
        return String.format(Locale.ROOT, "%.3f (threshold %s)", alert.driftedShare(), alert.shareThreshold());
    }

    private static String statistic(FeatureDrift f) {
        String method = f.method().name().toLowerCase(Locale.ROOT);
        String value = f.method().isPValueBased()
                ? String.format(Locale.ROOT, "%s=%.4g p=%.3g", method, f.statistic(), f.adjustedPValue())
                : String.format(Locale.ROOT, "%s=%.4g", method, f.statistic());
        return f.feature() + ": " + value + " (threshold " + f.threshold() + ")";
    }
}
