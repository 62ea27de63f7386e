package dev.modelgate.gateway.quality;

import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.ReliabilityBin;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link MetricSet} as the admin API and {@code quality_baselines} hold it; JSON has no NaN, so undefined values are null. */
final class MetricSetJson {

    private MetricSetJson() {
    }

    static JsonObject of(MetricSet set) {
        JsonObject metrics = new JsonObject();
        set.metrics().forEach((name, e) -> metrics.put(name, estimate(e)));
        JsonObject json = new JsonObject().put("n", set.n()).put("metrics", metrics);
        if (!set.reliability().isEmpty()) {
            JsonArray curve = new JsonArray();
            set.reliability().forEach(b -> curve.add(new JsonObject().put("lower", b.lower()).put("upper", b.upper())
                    .put("count", b.count()).put("mean_score", b.meanScore()).put("fraction_positive", b.fractionPositive())));
            json.put("reliability", curve);
        }
        return json;
    }

    static JsonObject estimate(MetricEstimate e) {
        return new JsonObject().put("value", finite(e.value())).put("lower", finite(e.lower())).put("upper", finite(e.upper()))
                .put("standard_error", finite(e.standardError())).put("n", e.n());
    }

    static MetricSet parse(JsonObject json) {
        Map<String, MetricEstimate> metrics = new LinkedHashMap<>();
        JsonObject stored = json.getJsonObject("metrics", new JsonObject());
        for (String name : stored.fieldNames()) {
            JsonObject e = stored.getJsonObject(name);
            metrics.put(name, new MetricEstimate(number(e, "value"), number(e, "lower"), number(e, "upper"),
                    number(e, "standard_error"), e.getLong("n", 0L)));
        }
        List<ReliabilityBin> curve = new ArrayList<>();
        json.getJsonArray("reliability", new JsonArray()).forEach(o -> {
            JsonObject b = (JsonObject) o;
            curve.add(new ReliabilityBin(number(b, "lower"), number(b, "upper"), b.getLong("count", 0L), number(b, "mean_score"),
                    number(b, "fraction_positive")));
        });
        return new MetricSet(json.getLong("n", 0L), metrics, curve);
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double number(JsonObject json, String key) {
        Double value = json.getDouble(key);
        return value == null ? Double.NaN : value;
    }
}
