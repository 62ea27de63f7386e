package dev.modelgate.gateway.config;

import dev.modelgate.drift.evaluate.MethodChoice;
import java.time.Duration;
import java.util.Map;

/**
 * The drift monitor ({@code drift:}).
 *
 * @param enabled        false: no scheduled runs (references and on-demand runs still work)
 * @param interval       time between two scheduled runs per model and variant
 * @param window         how far back a run looks in the prediction log
 * @param minSamples     windows with fewer values (for the sparsest feature) are "unknown", never "no drift"
 * @param fireAfter      consecutive drifted windows before an alert fires
 * @param resolveAfter   consecutive clean windows before a firing alert resolves
 * @param shareThreshold share of drifted features at which the model's data counts as drifted
 * @param sampleRows     rows pulled for the sample-based tests (KS, Wasserstein); counts cover every row
 * @param methods        per-feature method and threshold replacing the automatic choice
 * @param queryTimeout   deadline of one drift query: they scan a whole window, unlike the inserts
 *                       that {@code telemetry.insert_timeout_ms} bounds
 */
public record DriftConfig(
        boolean enabled,
        Duration interval,
        Duration window,
        long minSamples,
        int fireAfter,
        int resolveAfter,
        double shareThreshold,
        int sampleRows,
        Map<String, MethodChoice> methods,
        Duration queryTimeout) {

    public DriftConfig {
        methods = Map.copyOf(methods);
    }
}
