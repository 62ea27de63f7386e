package dev.modelgate.gateway.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.modelgate.drift.rules.WindowVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored runs, whichever replica made them: the latest of each variant in the admin API's shape
 * (what {@code GET .../quality} answers when this replica has not run the variants itself), and the
 * verdicts a new alert rule replays.
 */
final class QualityHistory {

    private final ClickHouseConnection clickHouse;
    private final String table;

    QualityHistory(ClickHouseConnection clickHouse) {
        this.clickHouse = clickHouse;
        this.table = clickHouse.settings().qualify(QualityTables.QUALITY_REPORTS.name());
    }

    JsonArray latestRuns(String model) throws ClickHouseCallException {
        String where = "model = " + SqlLiterals.quote(model);
        List<JsonNode> rows = clickHouse.query("SELECT variant, run_id, time_ms, kind, metric, value, lower, upper, standard_error, n,"
                + " baseline_value, p_value, verdict, alert_state, transition, reason FROM " + table + " WHERE " + where
                + " AND (variant, time_ms) IN (SELECT variant, max(time_ms) FROM " + table + " WHERE " + where + " GROUP BY variant)"
                + " ORDER BY variant, kind, metric");
        Map<String, JsonObject> variants = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            JsonObject run = variants.computeIfAbsent(row.get("variant").asText(), v -> new JsonObject().put("variant", v)
                    .put("run_id", row.get("run_id").asText()).put("time", Instant.ofEpochMilli(row.get("time_ms").asLong()).toString()));
            String kind = row.get("kind").asText();
            if (QualityReports.VERDICT.equals(kind)) {
                run.put("alert", new JsonObject().put("metric", row.get("metric").asText()).put("verdict", row.get("verdict").asText())
                        .put("state", row.get("alert_state").asText()).put("transition", row.get("transition").asText())
                        .put("baseline", number(row, "baseline_value")).put("current", number(row, "value"))
                        .put("p_value", number(row, "p_value")).put("reason", row.get("reason").asText()));
                continue;
            }
            JsonObject set = run.getJsonObject(kind);
            if (set == null) {
                set = new JsonObject().put("n", 0L).put("metrics", new JsonObject());
                run.put(kind, set);
            }
            set.getJsonObject("metrics").put(row.get("metric").asText(), new JsonObject().put("value", number(row, "value"))
                    .put("lower", number(row, "lower")).put("upper", number(row, "upper"))
                    .put("standard_error", number(row, "standard_error")).put("n", row.get("n").asLong()));
        }
        JsonArray result = new JsonArray();
        variants.values().forEach(result::add);
        return result;
    }

    /** The verdicts of the variant's latest runs, oldest first, whichever replica ran them. */
    List<WindowVerdict> verdicts(String model, String variant, int runs) throws ClickHouseCallException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        for (JsonNode row : clickHouse.query("SELECT verdict FROM " + table + " WHERE model = " + SqlLiterals.quote(model)
                + " AND variant = " + SqlLiterals.quote(variant) + " AND kind = " + SqlLiterals.quote(QualityReports.VERDICT)
                + " ORDER BY time_ms DESC LIMIT " + runs)) {
            verdicts.add(switch (row.path("verdict").asText()) {
                case "degraded" -> WindowVerdict.DRIFT;
                case "ok" -> WindowVerdict.NO_DRIFT;
                default -> WindowVerdict.UNKNOWN;
            });
        }
        Collections.reverse(verdicts);
        return verdicts;
    }

    /** ClickHouse writes NaN as {@code nan}, which Jackson reads as text: that becomes null. */
    private static Double number(JsonNode row, String key) {
        JsonNode value = row.get(key);
        return value != null && value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : null;
    }
}
