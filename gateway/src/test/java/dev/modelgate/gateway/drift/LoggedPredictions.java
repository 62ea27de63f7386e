package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes predictions rows the way the gateway logs them, with only the columns drift reads. */
final class LoggedPredictions {

    private final ClickHouseConnection clickHouse;
    private final String table;
    private final ObjectMapper json = new ObjectMapper();
    private final StringBuilder batch = new StringBuilder();

    LoggedPredictions(ClickHouseConnection clickHouse, String table) {
        this.clickHouse = clickHouse;
        this.table = table;
    }

    /** One logged request; NaN values are written as ClickHouse's "nan". */
    LoggedPredictions add(Instant time, String model, String variant, String role, int status,
                          Map<String, Double> features, Map<String, Double> outputs) {
        return addBatch(time, model, variant, role, status, List.of(features), List.of(outputs));
    }

    /** One logged request of several rows: their names and values one row after the other, as the gateway logs a batch. */
    LoggedPredictions addBatch(Instant time, String model, String variant, String role, int status,
                               List<Map<String, Double>> features, List<Map<String, Double>> outputs) {
        ObjectNode row = json.createObjectNode()
                .put("event_date", time.atOffset(ZoneOffset.UTC).toLocalDate().toString())
                .put("event_time", time.getEpochSecond())
                .put("event_time_ms", time.toEpochMilli())
                .put("event_id", UUID.randomUUID().toString())
                .put("model", model)
                .put("served_variant", variant)
                .put("role", role)
                .put("status", status);
        arrays(row, "feature_names", "feature_values", features);
        arrays(row, "output_names", "output_values", outputs);
        batch.append(row).append('\n');
        return this;
    }

    void flush() throws ClickHouseCallException {
        clickHouse.insertJsonEachRow(table, new ByteArrayInputStream(batch.toString().getBytes(StandardCharsets.UTF_8)));
        batch.setLength(0);
    }

    private static void arrays(ObjectNode row, String namesField, String valuesField, List<Map<String, Double>> rows) {
        ArrayNode names = row.putArray(namesField);
        ArrayNode numbers = row.putArray(valuesField);
        for (Map<String, Double> values : rows) {
            for (String name : List.copyOf(values.keySet())) {
                names.add(name);
                double v = values.get(name);
                if (Double.isNaN(v)) {
                    numbers.add("nan");
                } else {
                    numbers.add(v);
                }
            }
        }
    }
}
