package dev.modelgate.gateway.config;

import dev.modelgate.experiments.spec.ExperimentSpec;
import java.time.Duration;
import java.util.List;

/**
 * Experiments declared in the configuration (seeded into the store at start; with a shared store,
 * only those the store does not already hold), the control loop's period and the analysis job's period.
 *
 * @param queryTimeout deadline of one results query: it aggregates every unit of an experiment, unlike the
 *                     inserts that {@code telemetry.insert_timeout_ms} bounds
 */
public record ExperimentsConfig(List<ExperimentSpec> specs, Duration controllerInterval, Duration analysisInterval,
                                Duration queryTimeout) {

    public static final Duration DEFAULT_ANALYSIS_INTERVAL = Duration.ofSeconds(60);

    public ExperimentsConfig {
        specs = List.copyOf(specs);
    }
}
