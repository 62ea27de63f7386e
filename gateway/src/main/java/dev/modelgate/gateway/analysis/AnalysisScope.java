package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.Variant;
import dev.modelgate.gateway.state.StoredExperiment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one analysis covers: the variants (control first), the weights the split is checked against,
 * and the earliest first exposure that counts.
 *
 * <p>A canary's split changes at every step, so its analysis covers only units first exposed in the
 * current step, checked against the current weight: pooling steps would compare a candidate seen mostly
 * late with a baseline seen mostly early, and no single set of weights would describe the pool.
 *
 * @param weights     configured share per variant, variants at weight zero left out (they get no units
 *                    by design, so they cannot take part in the sample ratio check)
 * @param sinceMillis units whose first exposure is earlier are left out; 0 for A/B tests
 */
public record AnalysisScope(ExperimentSpec spec, String control, List<String> variants, Map<String, Double> weights,
                            long sinceMillis) {

    public AnalysisScope {
        variants = List.copyOf(variants);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        if (!variants.contains(control)) {
            throw new IllegalArgumentException("control '" + control + "' is not one of " + variants);
        }
    }

    /** Empty for shadow experiments: they do not split units, so there is nothing to compare. */
    public static Optional<AnalysisScope> of(StoredExperiment experiment) {
        ExperimentSpec spec = experiment.spec();
        String control = spec.defaultVariant();
        if (spec instanceof AbSpec ab) {
            Map<String, Double> weights = new LinkedHashMap<>();
            ab.variants().stream().filter(v -> v.weight() > 0).forEach(v -> weights.put(v.name(), v.weight()));
            return Optional.of(new AnalysisScope(spec, control, controlFirst(control,
                    ab.variants().stream().map(Variant::name).toList()), weights, 0L));
        }
        if (spec instanceof CanarySpec canary && experiment.canary().isPresent()) {
            CanaryState state = experiment.canary().get();
            Map<String, Double> weights = new LinkedHashMap<>();
            if (state.weightPercent() < 100.0) {
                weights.put(canary.baseline(), 100.0 - state.weightPercent());
            }
            if (state.weightPercent() > 0.0) {
                weights.put(canary.candidate(), state.weightPercent());
            }
            return Optional.of(new AnalysisScope(spec, control, controlFirst(control, canary.servingVariants()), weights,
                    state.since().toEpochMilli()));
        }
        return Optional.empty();
    }

    private static List<String> controlFirst(String control, List<String> variants) {
        List<String> ordered = new ArrayList<>();
        ordered.add(control);
        variants.stream().filter(v -> !v.equals(control)).forEach(ordered::add);
        return ordered;
    }

    public List<String> treatments() {
        return variants.subList(1, variants.size());
    }
}
