package dev.modelgate.gateway.routing;

import dev.modelgate.experiments.assignment.VariantAssigner;
import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.ShadowSpec;
import dev.modelgate.gateway.state.StoredExperiment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The experiments in force, compiled per model for the request path: at most one routing experiment
 * (A/B or canary) and any number of shadow experiments. Immutable; rebuilt when the store changes.
 * Completed experiments route nothing; paused ones send everyone to their default variant; a finished
 * canary routes until another routing experiment on its model is created.
 */
final class ExperimentRouting {

    record Compiled(String name, VariantAssigner assigner) {}

    record Shadow(ShadowSpec spec, VariantAssigner assigner, ShadowBudgetGate budget) {}

    /** @param readsAttributes whether any of these experiments has targeting rules, which read the request's attributes */
    record ModelRouting(Optional<Compiled> primary, List<Shadow> shadows, boolean readsAttributes) {
        static final ModelRouting NONE = new ModelRouting(Optional.empty(), List.of());

        ModelRouting(Optional<Compiled> primary, List<Shadow> shadows) {
            this(primary, shadows, primary.map(p -> p.assigner().readsAttributes()).orElse(false)
                    || shadows.stream().anyMatch(shadow -> shadow.assigner().readsAttributes()));
        }
    }

    /**
     * Which routing experiment of a model routes: the one in force over finished canaries, which keep
     * their final split only until a new experiment takes over; then the latest changed.
     */
    private static final Comparator<StoredExperiment> ROUTING_ORDER = Comparator.comparing(ExperimentRules::inForce)
            .thenComparing(StoredExperiment::updatedAt);

    private final Map<String, ModelRouting> byModel;

    private ExperimentRouting(Map<String, ModelRouting> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    static ExperimentRouting compile(Collection<StoredExperiment> experiments, RandomGenerator random,
                                     Map<String, ShadowBudgetGate> budgets) {
        Map<String, StoredExperiment> primary = new HashMap<>();
        Map<String, List<Shadow>> shadows = new HashMap<>();
        for (StoredExperiment stored : experiments) {
            if (stored.spec().status() == ExperimentStatus.COMPLETED) {
                continue;
            }
            String model = stored.spec().model();
            if (stored.spec() instanceof ShadowSpec shadow) {
                shadows.computeIfAbsent(model, m -> new ArrayList<>()).add(new Shadow(shadow,
                        VariantAssigner.forShadow(shadow, random), budgets.get(shadow.name())));
            } else {
                primary.merge(model, stored, (a, b) -> ROUTING_ORDER.compare(a, b) >= 0 ? a : b);
            }
        }
        Map<String, ModelRouting> byModel = new HashMap<>();
        primary.forEach((model, stored) -> byModel.put(model,
                new ModelRouting(Optional.of(new Compiled(stored.name(), assigner(stored, random))), List.of())));
        shadows.forEach((model, list) -> byModel.merge(model, new ModelRouting(Optional.empty(), list),
                (a, b) -> new ModelRouting(a.primary(), b.shadows())));
        return new ExperimentRouting(byModel);
    }

    private static VariantAssigner assigner(StoredExperiment stored, RandomGenerator random) {
        if (stored.spec() instanceof CanarySpec canary) {
            double weight = stored.canary().map(CanaryState::weightPercent).orElse(0.0);
            return VariantAssigner.forCanary(canary, weight, random);
        }
        return VariantAssigner.forAb((AbSpec) stored.spec(), random);
    }

    ModelRouting forModel(String model) {
        return byModel.getOrDefault(model, ModelRouting.NONE);
    }
}
