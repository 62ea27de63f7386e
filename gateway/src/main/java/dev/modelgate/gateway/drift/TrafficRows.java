package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Splits logged predictions back into rows of column → value. A batched request is logged as one
 * prediction whose parallel arrays hold its rows one after the other, so a name seen again starts
 * the next row; the k-th output row belongs to the k-th input row.
 */
final class TrafficRows {

    private TrafficRows() {
    }

    /** The rows of {@code predictions} in order, the first {@code limit} of them: a batch may be cut part way. */
    static void split(List<JsonNode> predictions, long limit, Consumer<Map<String, Object>> sink) {
        long[] left = {limit};
        for (JsonNode prediction : predictions) {
            if (left[0] == 0) {
                return;
            }
            split(prediction, row -> {
                if (left[0] > 0) {
                    left[0]--;
                    sink.accept(row);
                }
            });
        }
    }

    static void split(JsonNode prediction, Consumer<Map<String, Object>> sink) {
        List<Map<String, Object>> inputs = rows(prediction.path("feature_names"), prediction.path("feature_values"));
        List<Map<String, Object>> outputs = rows(prediction.path("output_names"), prediction.path("output_values"));
        for (int i = 0; i < Math.max(inputs.size(), outputs.size()); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            if (i < inputs.size()) {
                row.putAll(inputs.get(i));
            }
            if (i < outputs.size()) {
                row.putAll(outputs.get(i));
            }
            sink.accept(row);
        }
    }

    private static List<Map<String, Object>> rows(JsonNode names, JsonNode values) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < names.size() && i < values.size(); i++) {
            String name = names.get(i).asText();
            if (row.containsKey(name)) {
                rows.add(row);
                row = new LinkedHashMap<>();
            }
            // ClickHouse writes NaN as null; both mean a missing value
            row.put(name, values.get(i).isNumber() ? values.get(i).asDouble() : null);
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }
}
