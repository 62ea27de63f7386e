/**
 * Experiment definitions: the sealed {@link dev.modelgate.experiments.spec.ExperimentSpec} with its three
 * kinds (A/B, canary, shadow), immutable and validated on construction, and the conversion from and to
 * the plain map tree that YAML/JSON parsers produce, so that this module needs no parser of its own.
 * Every validation error names the offending field by its snake_case path (e.g. {@code variants[1].weight}).
 */
package dev.modelgate.experiments.spec;
