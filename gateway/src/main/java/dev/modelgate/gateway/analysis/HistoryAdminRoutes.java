package dev.modelgate.gateway.analysis;

import static dev.modelgate.gateway.admin.AdminResponses.blocking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.telemetry.ExperimentDecisionsTable;
import dev.modelgate.gateway.telemetry.ExperimentResultsTable;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * An experiment's stored history, for the console and anyone else reading the control plane:
 * <ul>
 *   <li>{@code GET /admin/experiments/{name}/results/history} — the analysis job's runs
 *       ({@code experiment_results}), oldest first: how each variant's estimate, interval and p-values moved;</li>
 *   <li>{@code GET /admin/experiments/{name}/decisions} — its audit trail ({@code experiment_decisions}),
 *       newest first: who created, changed, paused or rolled it back, and every canary step with its evidence.</li>
 * </ul>
 * Both read ClickHouse on a worker thread; without ClickHouse they answer 503. {@code ?limit=} caps the
 * rows (default and most {@value #MAX_ROWS}).
 */
final class HistoryAdminRoutes implements AdminRoutes {

    static final int MAX_ROWS = 2_000;

    private final Optional<ClickHouseConnection> clickHouse;

    HistoryAdminRoutes(Optional<ClickHouseConnection> clickHouse) {
        this.clickHouse = clickHouse;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/experiments/:name/results/history").handler(ctx -> read(ctx, this::results));
        router.get("/admin/experiments/:name/decisions").handler(ctx -> read(ctx, this::decisions));
    }

    @FunctionalInterface
    private interface Reader {
        JsonArray read(ClickHouseConnection clickHouse, String experiment, int limit) throws ClickHouseCallException;
    }

    private void read(RoutingContext ctx, Reader reader) {
        if (clickHouse.isEmpty()) {
            ErrorResponses.send(ctx, 503, "the history needs ClickHouse, and telemetry is disabled");
            return;
        }
        String name = ctx.pathParam("name");
        int limit;
        try {
            String asked = ctx.queryParams().get("limit");
            limit = asked == null ? MAX_ROWS : Integer.parseInt(asked);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_ROWS) {
            ErrorResponses.send(ctx, 400, "limit must be a whole number from 1 to " + MAX_ROWS);
            return;
        }
        int rows = limit;
        blocking(ctx, () -> new JsonObject().put("experiment", name).put("rows", reader.read(clickHouse.get(), name, rows)), 200);
    }

    private JsonArray results(ClickHouseConnection clickHouse, String experiment, int limit) throws ClickHouseCallException {
        String table = clickHouse.settings().qualify(ExperimentResultsTable.NAME);
        // the newest rows, returned oldest first for a time axis
        String sql = "SELECT * FROM (SELECT event_time_ms, run_id, metric, variant, is_control, n, estimate, ci_low, ci_high, lift,"
                + " p_value, p_value_sequential, chance_to_beat, srm_p_value, decision FROM " + table
                + " WHERE experiment = " + SqlLiterals.quote(experiment) + " ORDER BY event_time_ms DESC LIMIT " + limit
                + ") ORDER BY event_time_ms, metric, variant";
        JsonArray rows = new JsonArray();
        for (JsonNode row : clickHouse.query(sql)) {
            rows.add(new JsonObject()
                    .put("time", time(row))
                    .put("run_id", row.path("run_id").asText())
                    .put("metric", row.path("metric").asText())
                    .put("variant", row.path("variant").asText())
                    .put("control", row.path("is_control").asInt() == 1)
                    .put("n", row.path("n").asLong())
                    .put("estimate", number(row, "estimate"))
                    .put("difference_ci_low", number(row, "ci_low"))
                    .put("difference_ci_high", number(row, "ci_high"))
                    .put("lift", number(row, "lift"))
                    .put("p_value", number(row, "p_value"))
                    .put("p_value_sequential", number(row, "p_value_sequential"))
                    .put("chance_to_beat", number(row, "chance_to_beat"))
                    .put("srm_p_value", number(row, "srm_p_value"))
                    .put("decision", row.path("decision").asText()));
        }
        return rows;
    }

    private JsonArray decisions(ClickHouseConnection clickHouse, String experiment, int limit) throws ClickHouseCallException {
        String table = clickHouse.settings().qualify(ExperimentDecisionsTable.NAME);
        String sql = "SELECT event_time_ms, decision_id, model, kind, action, actor, reason, evidence, old_spec, new_spec,"
                + " candidate_weight FROM " + table + " WHERE experiment = " + SqlLiterals.quote(experiment)
                + " ORDER BY event_time_ms DESC LIMIT " + limit;
        JsonArray rows = new JsonArray();
        for (JsonNode row : clickHouse.query(sql)) {
            rows.add(new JsonObject()
                    .put("time", time(row))
                    .put("decision_id", row.path("decision_id").asText())
                    .put("model", row.path("model").asText())
                    .put("kind", row.path("kind").asText())
                    .put("action", row.path("action").asText())
                    .put("actor", row.path("actor").asText())
                    .put("reason", row.path("reason").asText())
                    .put("evidence", object(row.path("evidence").asText()))
                    .put("old_spec", object(row.path("old_spec").asText()))
                    .put("new_spec", object(row.path("new_spec").asText()))
                    .put("candidate_weight", number(row, "candidate_weight")));
        }
        return rows;
    }

    private static String time(JsonNode row) {
        return Instant.ofEpochMilli(row.path("event_time_ms").asLong()).toString();
    }

    /** ClickHouse writes NaN as null, JSON has no NaN: either way null. */
    private static Double number(JsonNode row, String field) {
        JsonNode value = row.path(field);
        return value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : null;
    }

    /** The stored JSON text as an object; null when empty (no evidence, no spec before a create). */
    private static Object object(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.decodeValue(text);
        } catch (DecodeException e) {
            return text;
        }
    }
}
