package dev.modelgate.experiments.spec;

/** Lifecycle of an experiment definition. Only RUNNING experiments split traffic; the others serve the default variant. */
public enum ExperimentStatus {
    RUNNING,
    PAUSED,
    COMPLETED
}
