package dev.modelgate.gateway.analysis;

import dev.modelgate.experiments.spec.MetricSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One metric across variants, control first.
 *
 * @param plan empty without a minimum detectable effect in the spec, or while the control has no usable
 *             baseline (no units, a rate of 0 or 1, no variance)
 */
public record MetricResult(MetricSpec metric, List<VariantResult> variants, Optional<SamplePlan> plan) {

    public MetricResult {
        Objects.requireNonNull(metric, "metric");
        variants = List.copyOf(variants);
        Objects.requireNonNull(plan, "plan");
    }
}
