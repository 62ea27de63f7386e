package dev.modelgate.experiments.spec;

import java.util.List;

/**
 * A/B(/n) test: units are split between variants by weight, sticky by unit id.
 *
 * @param meta           common fields; the default variant must be one of {@code variants}
 * @param variants       at least two, distinct names, weights summing to 100
 * @param targeting      rules evaluated in order before the split; the first match wins
 * @param holdoutPercent share of units kept out of the experiment entirely, in [0, 100)
 */
public record AbSpec(ExperimentMeta meta, List<Variant> variants, List<TargetingRule> targeting, double holdoutPercent)
        implements ExperimentSpec {

    public AbSpec {
        Checks.required("meta", meta);
        Checks.required("variants", variants);
        Checks.required("targeting", targeting);
        variants = List.copyOf(variants);
        targeting = List.copyOf(targeting);
        if (variants.size() < 2) {
            throw new SpecValidationException("variants", "must have at least 2 variants, got " + variants.size());
        }
        List<String> names = variants.stream().map(Variant::name).toList();
        Checks.unique(names, i -> "variants[" + i + "].name");
        int totalBasisPoints = variants.stream().mapToInt(v -> Percent.toBasisPoints(v.weight())).sum();
        if (totalBasisPoints != Percent.BASIS_POINTS_IN_100_PERCENT) {
            throw new SpecValidationException("variants",
                    "weights must sum to 100, got " + Checks.format(totalBasisPoints / 100.0));
        }
        meta.requireDefaultAmong(names);
        for (int i = 0; i < targeting.size(); i++) {
            String target = targeting.get(i).variant().orElse(null);
            if (target != null && !names.contains(target)) {
                throw new SpecValidationException("targeting[" + i + "].variant",
                        "'" + target + "' is not one of " + names);
            }
        }
        if (holdoutPercent >= 100.0) {
            throw new SpecValidationException("holdout_percent", "must be below 100, got " + Checks.format(holdoutPercent));
        }
        Checks.percent("holdout_percent", holdoutPercent, 0.0);
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.AB;
    }

    @Override
    public List<String> servingVariants() {
        return variants.stream().map(Variant::name).toList();
    }

    @Override
    public AbSpec withStatus(ExperimentStatus status) {
        return new AbSpec(meta.withStatus(status), variants, targeting, holdoutPercent);
    }
}
