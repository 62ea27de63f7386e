package dev.modelgate.gateway.drift;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.FeatureDrift;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The admin API's view of a run. JSON has no NaN, so statistics that do not apply are null. */
final class DriftRunJson {

    private DriftRunJson() {
    }

    static JsonObject of(DriftRun run) {
        JsonObject json = new JsonObject()
                .put("variant", run.variant())
                .put("run_id", run.runId())
                .put("time", run.time().toString())
                .put("window_start", run.window().start().toString())
                .put("window_end", run.window().end().toString())
                .put("verdict", run.verdictName())
                .put("reason", run.reason())
                .put("alert_state", run.alertState().state().name().toLowerCase(Locale.ROOT))
                .put("transition", run.transition().name().toLowerCase(Locale.ROOT));
        run.dataset().ifPresent(dataset -> dataset(json, dataset));
        return json;
    }

    private static void dataset(JsonObject json, DatasetDrift dataset) {
        JsonArray features = new JsonArray();
        dataset.features().forEach(f -> features.add(feature(f)));
        json.put("drifted_share", dataset.driftedShare())
                .put("share_threshold", dataset.shareThreshold())
                .put("dataset_drifted", dataset.drifted())
                .put("smallest_current_size", dataset.smallestCurrentSize())
                .put("features", features)
                .put("features_without_data", new JsonArray(dataset.featuresWithoutData()));
    }

    private static JsonObject feature(FeatureDrift f) {
        return new JsonObject()
                .put("feature", f.feature())
                .put("method", f.method().name().toLowerCase(Locale.ROOT))
                .put("statistic", finiteOrNull(f.statistic()))
                .put("p_value", finiteOrNull(f.pValue()))
                .put("adjusted_p_value", finiteOrNull(f.adjustedPValue()))
                .put("threshold", f.threshold())
                .put("drifted", f.drifted())
                .put("n_reference", f.nReference())
                .put("n_current", f.nCurrent());
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
