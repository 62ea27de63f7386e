package dev.modelgate.gateway.routing;

import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.ShadowSpec;
import dev.modelgate.experiments.spec.SpecValidationException;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.state.StoredExperiment;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an experiment must satisfy against the gateway it runs on, beyond its own validity: its model
 * and variants exist, and a model has at most one routing experiment (A/B or canary) in force, since
 * two could not both decide who gets which variant. A finished canary is not in force.
 */
public final class ExperimentRules {

    /** A second routing experiment on the same model. */
    public static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    private ExperimentRules() {}

    /** Every variant a spec names, by the field that names it as the user wrote it (e.g. {@code shadows[0]}). */
    private static Map<String, String> variantFields(ExperimentSpec spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (spec instanceof AbSpec ab) {
            for (int i = 0; i < ab.variants().size(); i++) {
                fields.put("variants[" + i + "].name", ab.variants().get(i).name());
            }
        } else if (spec instanceof CanarySpec canary) {
            fields.put("baseline", canary.baseline());
            fields.put("candidate", canary.candidate());
        } else if (spec instanceof ShadowSpec shadow) {
            fields.put("primary", shadow.primary());
            for (int i = 0; i < shadow.shadows().size(); i++) {
                fields.put("shadows[" + i + "]", shadow.shadows().get(i));
            }
        }
        return fields;
    }

    /**
     * @throws SpecValidationException naming the field, when the model or a variant does not exist
     * @throws ConflictException       when another routing experiment is in force on the model
     */
    public static void check(StoredExperiment experiment, Map<String, ModelConfig> models, Collection<StoredExperiment> others) {
        ExperimentSpec spec = experiment.spec();
        ModelConfig model = models.get(spec.model());
        if (model == null) {
            throw new SpecValidationException("model", "no model named '" + spec.model() + "' (models: " + models.keySet() + ")");
        }
        variantFields(spec).forEach((field, variant) -> {
            if (!model.variants().containsKey(variant)) {
                throw new SpecValidationException(field, "model '" + model.name() + "' has no variant '" + variant
                        + "' (variants: " + model.variants().keySet() + ")");
            }
        });
        if (!inForce(experiment)) {
            return;
        }
        for (StoredExperiment other : others) {
            if (!other.name().equals(spec.name()) && other.spec().model().equals(spec.model()) && inForce(other)) {
                throw new ConflictException("model '" + spec.model() + "' already has experiment '" + other.name()
                        + "' in force; complete or delete it first");
            }
        }
    }

    /**
     * Whether an experiment decides who gets which variant and must be the only one doing so on its
     * model: an A/B test or a canary that is not completed, and for a canary, whose rollout is not over. A
     * promoted or rolled-back canary keeps routing (all to the candidate, all to the baseline) only until
     * another routing experiment on its model takes over.
     */
    public static boolean inForce(StoredExperiment experiment) {
        return !(experiment.spec() instanceof ShadowSpec) && experiment.spec().status() != ExperimentStatus.COMPLETED
                && !experiment.canary().map(state -> state.status().finished()).orElse(false);
    }
}
