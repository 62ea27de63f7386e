package dev.modelgate.statistics.quality;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a model predicts, which decides its metrics. Metric names are the ones reports and the API use. */
public enum Task {
    BINARY_CLASSIFICATION(List.of("roc_auc", "pr_auc", "log_loss", "brier", "accuracy", "precision", "recall", "f1", "ece"), "roc_auc"),
    MULTICLASS(List.of("accuracy", "macro_f1", "log_loss"), "accuracy"),
    REGRESSION(List.of("mae", "rmse", "mape", "r2"), "mae");

    /** Metrics that are proportions of rows: compared with the two-proportion test. */
    public static final Set<String> PROPORTIONS = Set.of("accuracy", "precision", "recall");

    /** Metrics CBPE estimates without labels (binary classification only). */
    public static final List<String> ESTIMABLE = List.of("roc_auc", "accuracy", "precision", "recall", "f1");

    private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "brier", "ece", "mae", "rmse", "mape");

    private final List<String> metrics;
    private final String defaultAlertMetric;

    Task(List<String> metrics, String defaultAlertMetric) {
        this.metrics = metrics;
        this.defaultAlertMetric = defaultAlertMetric;
    }

    public List<String> metrics() {
        return metrics;
    }

    public String defaultAlertMetric() {
        return defaultAlertMetric;
    }

    /** The configuration name, e.g. {@code binary_classification}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Task> fromConfigName(String name) {
        for (Task task : values()) {
            if (task.configName().equals(name)) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }

    public static boolean higherIsBetter(String metric) {
        return !LOWER_IS_BETTER.contains(metric);
    }
}
