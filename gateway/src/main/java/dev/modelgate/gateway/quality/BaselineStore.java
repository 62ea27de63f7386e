package dev.modelgate.gateway.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Baselines in ClickHouse ({@code quality_baselines}), so every replica and a restart compare with
 * the same one; the latest row per model and variant wins. Blocking: call off the event loop.
 */
final class BaselineStore {

    private final ClickHouseConnection clickHouse;
    private final String table;

    BaselineStore(ClickHouseConnection clickHouse) {
        this.clickHouse = clickHouse;
        this.table = clickHouse.settings().qualify(QualityTables.QUALITY_BASELINES.name());
    }

    void save(List<Baseline> baselines, String task) throws ClickHouseCallException {
        StringBuilder rows = new StringBuilder();
        for (Baseline b : baselines) {
            rows.append(new JsonObject()
                    .put("created_at", b.createdAt().getEpochSecond())
                    .put("created_at_ms", b.createdAt().toEpochMilli())
                    .put("model", b.model())
                    .put("variant", b.variant())
                    .put("task", task)
                    .put("source", b.source())
                    .put("metrics", MetricSetJson.of(b.metrics()).encode())
                    .encode()).append('\n');
        }
        clickHouse.insertJsonEachRow(table, new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
    }

    Optional<Baseline> latest(String model, String variant) throws ClickHouseCallException {
        List<JsonNode> rows = clickHouse.query("SELECT source, created_at_ms, metrics FROM " + table
                + " WHERE model = " + SqlLiterals.quote(model) + " AND variant = " + SqlLiterals.quote(variant)
                + " ORDER BY created_at_ms DESC LIMIT 1");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        JsonNode row = rows.get(0);
        return Optional.of(new Baseline(model, variant, row.get("source").asText(), Instant.ofEpochMilli(row.get("created_at_ms").asLong()),
                MetricSetJson.parse(new JsonObject(row.get("metrics").asText()))));
    }
}
