package dev.modelgate.experiments.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fields every experiment kind has.
 *
 * @param name           unique experiment name, reported in the X-Experiment header
 * @param model          the model (path segment of {@code /v2/models/{model}/infer}) the experiment routes
 * @param salt           hash salt; changing it reshuffles every unit, so it defaults to the name
 * @param status         lifecycle status
 * @param defaultVariant variant served to units outside the experiment (excluded, held out, paused)
 * @param metrics        what the experiment is judged on, distinct names; may be empty
 */
public record ExperimentMeta(String name, String model, String salt, ExperimentStatus status, String defaultVariant,
                             List<MetricSpec> metrics) {

    public ExperimentMeta {
        Checks.name("name", name);
        Checks.name("model", model);
        if (salt == null || salt.isEmpty()) {
            throw new SpecValidationException("salt", "must not be empty");
        }
        Checks.required("status", status);
        Checks.name("default_variant", defaultVariant);
        Checks.required("metrics", metrics);
        metrics = List.copyOf(metrics);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            if (!seen.add(metrics.get(i).name())) {
                throw new SpecValidationException("metrics[" + i + "].name", "duplicate metric '" + metrics.get(i).name() + "'");
            }
        }
    }

    /** Without metrics: the experiment routes traffic but has nothing to be judged on. */
    public ExperimentMeta(String name, String model, String salt, ExperimentStatus status, String defaultVariant) {
        this(name, model, salt, status, defaultVariant, List.of());
    }

    /** A running experiment whose salt is its name. */
    public static ExperimentMeta running(String name, String model, String defaultVariant) {
        return new ExperimentMeta(name, model, name, ExperimentStatus.RUNNING, defaultVariant);
    }

    public ExperimentMeta withStatus(ExperimentStatus newStatus) {
        return new ExperimentMeta(name, model, salt, newStatus, defaultVariant, metrics);
    }

    void requireDefaultAmong(List<String> variants) {
        if (!variants.contains(defaultVariant)) {
            throw new SpecValidationException("default_variant",
                    "'" + defaultVariant + "' is not one of " + variants);
        }
    }

    public boolean isRunning() {
        return status == ExperimentStatus.RUNNING;
    }
}
