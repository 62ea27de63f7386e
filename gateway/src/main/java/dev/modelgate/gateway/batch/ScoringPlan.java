package dev.modelgate.gateway.batch;

import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.routing.RoutingRequest;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.Variant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which variant scores each row and how its inputs are filled. With a variant (or neither: the model's
 * default variant) every row goes to it; with an experiment each row is routed by the gateway's own
 * {@link RequestRouter} from its unit id, exactly as an online request carrying that {@code X-Unit-Id}.
 */
final class ScoringPlan {

    private final ServedModel model;
    private final String experiment;
    private final RequestRouter router;
    private final List<VariantInputs> variants;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> columns;

    private ScoringPlan(ServedModel model, String experiment, RequestRouter router, List<VariantInputs> variants, List<String> columns) {
        this.model = model;
        this.experiment = experiment;
        this.router = router;
        this.variants = List.copyOf(variants);
        this.columns = List.copyOf(columns);
        for (int i = 0; i < variants.size(); i++) {
            index.put(variants.get(i).variant().name(), i);
        }
    }

    /** @throws IllegalArgumentException naming what in the spec does not fit the loaded models */
    static ScoringPlan of(JobSpec spec, ServedModel model, RequestRouter router, FeatureColumns names) {
        List<String> columns = new ArrayList<>();
        List<VariantInputs> variants = new ArrayList<>();
        if (spec.experiment().isPresent()) {
            String inForce = router.route(model, RoutingRequest.forUnit("batch-probe")).experiment();
            if (!inForce.equals(spec.experiment().get())) {
                throw new IllegalArgumentException("experiment '" + spec.experiment().get() + "' does not route model '" + model.name()
                        + "' now (" + (inForce.isEmpty() ? "no experiment does" : "'" + inForce + "' does") + ")");
            }
            for (Variant variant : model.variants().values()) {
                variants.add(VariantInputs.resolve(variant, spec.inputs(), columns, names));
            }
            return new ScoringPlan(model, inForce, router, variants, columns);
        }
        Variant variant = spec.variant().map(name -> model.variant(name).orElseThrow(() -> new IllegalArgumentException(
                "model '" + model.name() + "' has no variant '" + name + "' (it has " + model.variants().keySet() + ")")))
                .orElse(model.defaultVariant());
        variants.add(VariantInputs.resolve(variant, spec.inputs(), columns, names));
        return new ScoringPlan(model, "", null, variants, columns);
    }

    ServedModel model() {
        return model;
    }

    /** The routing experiment, or empty when one variant scores every row. */
    String experiment() {
        return experiment;
    }

    /** The source columns any variant reads, in the order blocks hold them. */
    List<String> columns() {
        return columns;
    }

    List<VariantInputs> variants() {
        return variants;
    }

    /** The variant whose reference the input is checked against: the fixed one, or the model's default. */
    VariantInputs qualityVariant() {
        return experiment.isEmpty() ? variants.get(0) : variants.get(index.get(model.defaultVariant().name()));
    }

    /** The position in {@link #variants()} of the variant that scores a row with this unit id (null: none). */
    int assign(String unitId) {
        if (router == null) {
            return 0;
        }
        Route route = router.route(model, RoutingRequest.forUnit(unitId));
        return index.get(route.variant().name());
    }
}
