package dev.modelgate.gateway.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * The admin API's view of a run. It is rendered from the run's {@code drift_reports} rows, both for a
 * run of this replica and for one read back from ClickHouse, so the answer has the same fields and values
 * before and after a restart. Features are sorted by name (ClickHouse keeps no row order). JSON has no
 * NaN, so statistics that do not apply are null.
 */
final class DriftRunJson {

    private DriftRunJson() {
    }

    static JsonObject of(DriftRun run) {
        // the JSON names no replica
        return of(DriftReports.rows(run, ""));
    }

    /** @param rows one run's rows: its dataset row and its feature rows, in any order */
    static JsonObject of(List<DriftReportRow> rows) {
        DriftReportRow run = rows.stream().filter(DriftReportRow::isDataset).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a run's rows include its dataset row"));
        JsonObject json = new JsonObject()
                .put("variant", run.variant())
                .put("run_id", run.runId())
                .put("time", run.time().toString())
                .put("window_start", run.window().start().toString())
                .put("window_end", run.window().end().toString())
                .put("verdict", run.verdict())
                .put("reason", run.reason())
                .put("alert_state", run.alertState())
                .put("transition", run.transition());
        // the drifted share is a number exactly when the window was compared
        if (!Double.isNaN(run.statistic())) {
            JsonArray features = new JsonArray();
            rows.stream().filter(r -> !r.isDataset()).sorted(Comparator.comparing(DriftReportRow::feature))
                    .forEach(f -> features.add(feature(f)));
            json.put("drifted_share", run.statistic())
                    .put("share_threshold", run.threshold())
                    .put("dataset_drifted", run.drifted())
                    .put("smallest_current_size", run.nCurrent())
                    .put("features", features)
                    .put("features_without_data", new JsonArray(run.featuresWithoutData()));
        }
        return json;
    }

    private static JsonObject feature(DriftReportRow f) {
        return new JsonObject()
                .put("feature", f.feature())
                .put("method", f.method())
                .put("statistic", finiteOrNull(f.statistic()))
                .put("p_value", finiteOrNull(f.rawPValue()))
                .put("adjusted_p_value", finiteOrNull(f.adjustedPValue()))
                .put("threshold", f.threshold())
                .put("drifted", f.drifted())
                .put("n_reference", f.nReference())
                .put("n_current", f.nCurrent());
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
