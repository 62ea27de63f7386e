package dev.modelgate.experiments.spec;

import java.util.Set;

/** The snake_case wire names shared by {@link SpecParser} and {@link SpecWriter}. */
final class Keys {

    static final String NAME = "name";
    static final String MODEL = "model";
    static final String KIND = "kind";
    static final String SALT = "salt";
    static final String STATUS = "status";
    static final String DEFAULT_VARIANT = "default_variant";
    static final String VARIANTS = "variants";
    static final String WEIGHT = "weight";
    static final String TARGETING = "targeting";
    static final String ATTRIBUTE = "attribute";
    static final String EQUALS = "equals";
    static final String IN = "in";
    static final String VARIANT = "variant";
    static final String EXCLUDE = "exclude";
    static final String HOLDOUT_PERCENT = "holdout_percent";
    static final String BASELINE = "baseline";
    static final String CANDIDATE = "candidate";
    static final String STEPS = "steps";
    static final String MIN_STEP_DURATION_SECONDS = "min_step_duration_seconds";
    static final String MIN_REQUESTS_PER_STEP = "min_requests_per_step";
    static final String GATES = "gates";
    static final String MAX_ERROR_RATE_INCREASE = "max_error_rate_increase";
    static final String MAX_P99_LATENCY_RATIO = "max_p99_latency_ratio";
    static final String PRIMARY = "primary";
    static final String SHADOWS = "shadows";
    static final String SAMPLE_RATE = "sample_rate";
    static final String MAX_CONCURRENT = "max_concurrent";
    static final String MAX_PER_SECOND = "max_per_second";
    static final String METRICS = "metrics";
    static final String DIRECTION = "direction";
    static final String MINIMUM_DETECTABLE_EFFECT = "minimum_detectable_effect";
    static final String GUARDRAIL = "guardrail";
    static final String SOURCE = "source";

    static final Set<String> COMMON = Set.of(NAME, MODEL, KIND, SALT, STATUS, DEFAULT_VARIANT, METRICS);
    static final Set<String> AB = Set.of(VARIANTS, TARGETING, HOLDOUT_PERCENT);
    static final Set<String> CANARY = Set.of(BASELINE, CANDIDATE, STEPS, MIN_STEP_DURATION_SECONDS, MIN_REQUESTS_PER_STEP, GATES);
    static final Set<String> SHADOW = Set.of(PRIMARY, SHADOWS, SAMPLE_RATE, MAX_CONCURRENT, MAX_PER_SECOND);
    static final Set<String> VARIANT_ENTRY = Set.of(NAME, WEIGHT);
    static final Set<String> TARGETING_ENTRY = Set.of(ATTRIBUTE, EQUALS, IN, VARIANT, EXCLUDE);
    static final Set<String> METRIC_ENTRY = Set.of(NAME, KIND, DIRECTION, MINIMUM_DETECTABLE_EFFECT, GUARDRAIL, SOURCE);
    static final Set<String> GATE_ENTRY = Set.of(MAX_ERROR_RATE_INCREASE, MAX_P99_LATENCY_RATIO);

    private Keys() {
    }
}
