package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * The quality monitor ({@code quality:}); what each model is judged on is its own {@link QualitySpec}.
 *
 * @param enabled      false: no scheduled runs (baselines and on-demand runs still work)
 * @param interval     time between two scheduled runs
 * @param minSamples   windows with fewer labelled rows (or, for the estimate, predictions) are "unknown"
 * @param fireAfter    consecutive degraded windows before an alert fires
 * @param resolveAfter consecutive healthy windows before a firing alert resolves
 * @param alpha        false-alarm rate of one window's one-sided degradation test
 * @param bootstrapReplicates resamples behind each bootstrap interval
 * @param queryTimeout deadline of one quality query
 */
public record QualityConfig(boolean enabled, Duration interval, long minSamples, int fireAfter, int resolveAfter, double alpha,
                            int bootstrapReplicates, Duration queryTimeout) {
}
