package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import io.vertx.core.json.JsonArray;
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

    /** One object per variant, rendered by {@link DriftRunJson} from the stored rows as the live run was. */
    JsonArray latestRuns(String model) throws ClickHouseCallException {
        String ofModel = "model = " + SqlLiterals.quote(model);
        String sql = "SELECT time_ms, run_id, variant, feature, method, statistic, raw_p_value, p_value, threshold, drifted,"
                + " toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we, n_reference, n_current, verdict,"
                + " reason, alert_state, transition, features_without_data"
                + " FROM " + table + " WHERE " + ofModel
                + " AND (variant, run_id) IN (SELECT variant, argMax(run_id, time_ms) FROM " + table + " WHERE " + ofModel
                + " GROUP BY variant) ORDER BY variant";
        Map<String, List<DriftReportRow>> byVariant = new LinkedHashMap<>();
        for (JsonNode row : clickHouse.query(sql)) {
            byVariant.computeIfAbsent(row.path("variant").asText(), v -> new ArrayList<>()).add(row(model, row));
        }
        JsonArray runs = new JsonArray();
        byVariant.values().forEach(rows -> runs.add(DriftRunJson.of(rows)));
        return runs;
    }

    private static DriftReportRow row(String model, JsonNode row) {
        List<String> withoutData = new ArrayList<>();
        row.path("features_without_data").forEach(feature -> withoutData.add(feature.asText()));
        return new DriftReportRow(Instant.ofEpochMilli(row.path("time_ms").asLong()), row.path("run_id").asText(), model,
                row.path("variant").asText(), row.path("feature").asText(), row.path("method").asText(),
                number(row, "statistic"), number(row, "raw_p_value"), number(row, "p_value"), number(row, "threshold"),
                row.path("drifted").asInt() == 1,
                new DriftWindow(Instant.ofEpochSecond(row.path("ws").asLong()), Instant.ofEpochSecond(row.path("we").asLong())),
                row.path("n_reference").asLong(), row.path("n_current").asLong(), row.path("verdict").asText(),
                row.path("reason").asText(), row.path("alert_state").asText(), row.path("transition").asText(), withoutData,
                "");
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

    /** ClickHouse writes NaN as JSON null: back to NaN. */
    private static double number(JsonNode row, String field) {
        JsonNode value = row.path(field);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
