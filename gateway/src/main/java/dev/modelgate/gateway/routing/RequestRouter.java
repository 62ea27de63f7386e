package dev.modelgate.gateway.routing;

import dev.modelgate.experiments.assignment.Assignment;
import dev.modelgate.experiments.assignment.AssignmentRequest;
import dev.modelgate.experiments.spec.ShadowSpec;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.StoredExperiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Chooses the variant for a request: the model's routing experiment assigns it (sticky hash,
 * targeting, forcing), or the model's default variant serves when no experiment claims the model.
 * Shadow experiments whose primary is the chosen variant add sampled copies. The compiled view of
 * the experiments is swapped whenever the store changes, so the request path only reads a field.
 */
public final class RequestRouter {

    /** Per-thread randomness for requests without a unit id; never shared across event loops. */
    private static final RandomGenerator RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final ExperimentStore store;
    private final Map<String, ShadowBudgetGate> budgets = new ConcurrentHashMap<>();
    private volatile ExperimentRouting routing;

    public RequestRouter(ExperimentStore store) {
        this.store = store;
        recompile();
        store.onChange(this::recompile);
    }

    private synchronized void recompile() {
        var experiments = store.all().values();
        // a budget keeps its in-flight count across recompiles unless the budget itself changed
        budgets.keySet().retainAll(experiments.stream().map(StoredExperiment::name).toList());
        for (StoredExperiment stored : experiments) {
            if (stored.spec() instanceof ShadowSpec shadow) {
                budgets.compute(shadow.name(), (name, gate) -> gate != null && gate.budget().equals(shadow.budget())
                        ? gate : new ShadowBudgetGate(name, shadow.budget()));
            }
        }
        routing = ExperimentRouting.compile(experiments, RANDOM, budgets);
    }

    /** @throws IllegalArgumentException when the forced variant is not one the model or its experiment serves */
    public Route route(ServedModel model, RoutingRequest request) {
        ExperimentRouting.ModelRouting experiments = routing.forModel(model.name());
        Variant defaultVariant = model.defaultVariant();
        Route primary;
        if (experiments.primary().isPresent()) {
            ExperimentRouting.Compiled experiment = experiments.primary().get();
            AssignmentRequest base = base(request, experiments);
            AssignmentRequest assignmentRequest = request.forcedVariant().map(base::forcing).orElse(base);
            Assignment assignment = experiment.assigner().assign(assignmentRequest);
            Variant variant = model.variant(assignment.variant()).orElse(defaultVariant);
            primary = new Route(experiment.name(), variant, Route.reasonName(assignment.reason()), List.of());
        } else if (request.forcedVariant().isPresent()) {
            String forced = request.forcedVariant().get();
            Variant variant = model.variant(forced).orElseThrow(() -> new IllegalArgumentException(
                    "model '" + model.name() + "' has no variant '" + forced + "'"));
            primary = new Route("", variant, Route.REASON_FORCED, List.of());
        } else {
            primary = new Route("", defaultVariant, Route.REASON_DEFAULT, List.of());
        }
        if (experiments.shadows().isEmpty()) {
            return primary;
        }
        return new Route(primary.experiment(), primary.variant(), primary.reason(),
                shadows(experiments, model, primary.variant(), request));
    }

    private static List<ShadowTarget> shadows(ExperimentRouting.ModelRouting experiments, ServedModel model, Variant primary,
                                              RoutingRequest request) {
        List<ShadowTarget> targets = new ArrayList<>();
        for (ExperimentRouting.Shadow shadow : experiments.shadows()) {
            if (!shadow.spec().primary().equals(primary.name())) {
                continue;
            }
            for (String name : shadow.assigner().assign(base(request, experiments)).shadows()) {
                model.variant(name).ifPresent(variant -> targets.add(new ShadowTarget(shadow.spec().name(), variant, shadow.budget())));
            }
        }
        return targets;
    }

    private static AssignmentRequest base(RoutingRequest request, ExperimentRouting.ModelRouting experiments) {
        AssignmentRequest base = request.unitId().map(AssignmentRequest::forUnit).orElseGet(AssignmentRequest::anonymous);
        return experiments.readsAttributes() ? base.withAttributes(request.attributes().get()) : base;
    }
}
