package dev.modelgate.gateway.config;

import dev.modelgate.statistics.quality.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code quality:} section and the models' {@code quality:} declarations. */
final class QualityConfigReader {

    private QualityConfigReader() {
    }

    static QualityConfig monitor(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("enabled", "interval_seconds", "min_samples", "fire_after", "resolve_after", "alpha",
                "bootstrap_replicates", "query_timeout_seconds"));
        return new QualityConfig(
                node.bool("enabled", true),
                Duration.ofSeconds(node.number("interval_seconds", 300, 1, 86_400)),
                node.number("min_samples", 200, 1, Long.MAX_VALUE),
                node.integer("fire_after", 2, 1, 1_000),
                node.integer("resolve_after", 2, 1, 1_000),
                node.decimal("alpha", 0.01, 1e-9, 0.5),
                node.integer("bootstrap_replicates", 400, 20, 100_000),
                Duration.ofSeconds(node.number("query_timeout_seconds", 60, 1, 3_600)));
    }

    /** The model's declaration, when its section has a {@code quality:} key. */
    static Optional<QualitySpec> spec(ConfigNode model) {
        if (!model.has("quality")) {
            return Optional.empty();
        }
        ConfigNode node = model.object("quality");
        node.rejectUnknownKeys(Set.of("task", "label_metric", "threshold", "score_output", "classes", "label_delay_minutes",
                "window_minutes", "alert_metric", "calibration_bins"));
        String taskName = node.requiredString("task");
        Task task = Task.fromConfigName(taskName).orElseThrow(() -> ConfigNode.error(node.childPath("task"), "must be one of "
                + Arrays.stream(Task.values()).map(Task::configName).toList() + ", got '" + taskName + "'"));
        String labelMetric = node.requiredString("label_metric");
        int classes = node.integer("classes", 0, 0, 10_000);
        if (task == Task.MULTICLASS && classes < 2) {
            throw ConfigNode.error(node.childPath("classes"), "a multiclass model needs the number of classes (>= 2)");
        }
        if (task == Task.MULTICLASS && node.string("score_output", "").isEmpty()) {
            throw ConfigNode.error(node.childPath("score_output"), "a multiclass model needs the output holding its class probabilities");
        }
        String alertMetric = node.string("alert_metric", task.defaultAlertMetric());
        if (!task.metrics().contains(alertMetric)) {
            throw ConfigNode.error(node.childPath("alert_metric"), "must be one of " + task.metrics() + " for " + task.configName()
                    + ", got '" + alertMetric + "'");
        }
        return Optional.of(new QualitySpec(task, labelMetric, node.decimal("threshold", 0.5, 0, 1), node.string("score_output", ""),
                classes, node.minutes("label_delay_minutes", 0, 0, 525_600), node.minutes("window_minutes", 60, 0.05, 44_640),
                alertMetric, node.integer("calibration_bins", 10, 2, 1_000)));
    }
}
