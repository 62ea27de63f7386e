package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latest stored run per variant, read back from {@code drift_reports}: what the admin API shows
 * on a replica that has not run the monitor itself (a follower, or right after a restart).
 */
final class ReportHistory implements VerdictHistory {

    private final ClickHouseConnection clickHouse;
    private final String table;

    ReportHistory(ClickHouseConnection clickHouse) {
        this.clickHouse = clickHouse;
        this.table = clickHouse.settings().qualify(DriftTables.DRIFT_REPORTS.name());
    }

    /** One object per variant in the shape of {@link DriftRunJson} (without the alert state, which lives in memory). */
    JsonArray latestRuns(String model) throws ClickHouseCallException {
        String ofModel = "model = " + SqlLiterals.quote(model);
        String sql = "SELECT variant, run_id, time_ms, feature, method, statistic, p_value, threshold, drifted,"
                + " toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we, n_reference, n_current, verdict"
                + " FROM " + table + " WHERE " + ofModel
                + " AND (variant, time_ms) IN (SELECT variant, max(time_ms) FROM " + table + " WHERE " + ofModel + " GROUP BY variant)"
                + " ORDER BY variant, feature";
        Map<String, JsonObject> byVariant = new LinkedHashMap<>();
        for (JsonNode row : clickHouse.query(sql)) {
            JsonObject variant = byVariant.computeIfAbsent(row.path("variant").asText(), v -> new JsonObject()
                    .put("variant", v)
                    .put("run_id", row.path("run_id").asText())
                    .put("time", Instant.ofEpochMilli(row.path("time_ms").asLong()).toString())
                    .put("window_start", Instant.ofEpochSecond(row.path("ws").asLong()).toString())
                    .put("window_end", Instant.ofEpochSecond(row.path("we").asLong()).toString())
                    .put("verdict", row.path("verdict").asText())
                    .put("features", new JsonArray()));
            if (row.path("feature").asText().equals(DriftReportRow.DATASET)) {
                variant.put("drifted_share", number(row, "statistic")).put("share_threshold", number(row, "threshold"));
            } else {
                variant.getJsonArray("features").add(new JsonObject()
                        .put("feature", row.path("feature").asText())
                        .put("method", row.path("method").asText())
                        .put("statistic", number(row, "statistic"))
                        .put("adjusted_p_value", number(row, "p_value"))
                        .put("threshold", number(row, "threshold"))
                        .put("drifted", row.path("drifted").asInt() == 1)
                        .put("n_reference", row.path("n_reference").asLong())
                        .put("n_current", row.path("n_current").asLong()));
            }
        }
        return new JsonArray(new ArrayList<>(byVariant.values()));
    }

    @Override
    public List<WindowVerdict> latest(String model, String variant, int runs) throws ClickHouseCallException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        for (JsonNode row : clickHouse.query("SELECT verdict FROM " + table + " WHERE model = " + SqlLiterals.quote(model)
                + " AND variant = " + SqlLiterals.quote(variant) + " AND feature = " + SqlLiterals.quote(DriftReportRow.DATASET)
                + " ORDER BY time_ms DESC LIMIT " + runs)) {
            verdicts.add(WindowVerdict.valueOf(row.path("verdict").asText().toUpperCase(Locale.ROOT)));
        }
        Collections.reverse(verdicts);
        return verdicts;
    }

    /** ClickHouse writes NaN as JSON null, which stays null here. */
    private static Double number(JsonNode row, String field) {
        JsonNode value = row.path(field);
        return value.isNumber() ? DriftRunJson.finiteOrNull(value.asDouble()) : null;
    }
}
