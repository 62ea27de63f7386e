package dev.modelgate.experiments.spec;

import java.util.List;

/**
 * The primary answers every request; a sample of requests is also copied to the shadow variants,
 * whose answers are logged and never returned.
 *
 * @param meta       common fields; the default variant is the primary
 * @param primary    variant that serves responses
 * @param shadows    one or more variants that receive copies, distinct and different from the primary
 * @param sampleRate share of requests copied, in [0, 1]
 * @param budget     limits on the copies
 */
public record ShadowSpec(ExperimentMeta meta, String primary, List<String> shadows, double sampleRate, ShadowBudget budget)
        implements ExperimentSpec {

    public ShadowSpec {
        Checks.required("meta", meta);
        Checks.name("primary", primary);
        Checks.required("shadows", shadows);
        if (shadows.isEmpty()) {
            throw new SpecValidationException("shadows", "must list at least one shadow variant");
        }
        for (int i = 0; i < shadows.size(); i++) {
            Checks.name("shadows[" + i + "]", shadows.get(i));
        }
        shadows = List.copyOf(shadows);
        Checks.unique(shadows, i -> "shadows[" + i + "]");
        int primaryAsShadow = shadows.indexOf(primary);
        if (primaryAsShadow >= 0) {
            throw new SpecValidationException("shadows[" + primaryAsShadow + "]", "must differ from the primary '" + primary + "'");
        }
        if (!(sampleRate >= 0.0 && sampleRate <= 1.0)) {
            throw new SpecValidationException("sample_rate", "must be in [0, 1], got " + sampleRate);
        }
        Checks.required("budget", budget);
        if (!meta.defaultVariant().equals(primary)) {
            throw new SpecValidationException("default_variant",
                    "must be the primary '" + primary + "', got '" + meta.defaultVariant() + "'");
        }
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.SHADOW;
    }

    @Override
    public List<String> servingVariants() {
        return List.of(primary);
    }

    @Override
    public ShadowSpec withStatus(ExperimentStatus status) {
        return new ShadowSpec(meta.withStatus(status), primary, shadows, sampleRate, budget);
    }
}
