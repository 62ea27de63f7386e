package dev.modelgate.experiments.spec;

import java.util.List;

/**
 * An experiment definition: immutable and valid by construction (every constructor throws a
 * {@link SpecValidationException} naming the bad field). Build from a parsed YAML/JSON tree with
 * {@link SpecParser} and turn back into one with {@link SpecWriter}.
 */
public sealed interface ExperimentSpec permits AbSpec, CanarySpec, ShadowSpec {

    ExperimentMeta meta();

    ExperimentKind kind();

    /** Variants that may answer a request (a forced variant must be one of them). */
    List<String> servingVariants();

    /** The same experiment with another lifecycle status (admin pause / resume / complete). */
    ExperimentSpec withStatus(ExperimentStatus status);

    default String name() {
        return meta().name();
    }

    default String model() {
        return meta().model();
    }

    default String salt() {
        return meta().salt();
    }

    default ExperimentStatus status() {
        return meta().status();
    }

    default String defaultVariant() {
        return meta().defaultVariant();
    }

    default List<MetricSpec> metrics() {
        return meta().metrics();
    }
}
