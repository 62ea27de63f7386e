package dev.modelgate.gateway.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Unit-level aggregation of one experiment in ClickHouse, in one query, so that only a few numbers per
 * variant leave the database however much traffic there was.
 *
 * <p>Rules (README "Experiment analysis"):
 * <ul>
 *   <li>Exposure: primary predictions of the experiment assigned by the unit's hash ({@code hash}, or
 *       {@code fallback} when the assigned variant failed and another served it). Forced, targeted,
 *       held-out and unit-less random requests are not part of the randomised split and are left out.</li>
 *   <li>Intention to treat: a unit belongs to the variant <em>assigned</em> at its first exposure,
 *       whatever served it and whatever later requests were assigned; every request of the unit counts
 *       towards its metrics.</li>
 *   <li>Binary feedback metric: the unit converted (1) when any feedback value {@code > 0} was posted for
 *       that metric on any of its requests, else 0 (no feedback at all counts as not converted).</li>
 *   <li>Continuous feedback metric: the <em>sum</em> of the feedback values over the unit's requests, 0
 *       without feedback (revenue per unit, not per order, so that units are the independent observations).</li>
 *   <li>{@code latency_ms} and {@code score}: the <em>mean</em> over the unit's requests, as these are
 *       logged once per request.</li>
 * </ul>
 */
public final class UnitAggregation {

    private final ClickHouseConnection clickHouse;

    public UnitAggregation(ClickHouseConnection clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Totals for every variant of the scope (zeros for variants without units), in the scope's order. Blocks. */
    public List<VariantTotals> read(AnalysisScope scope) throws ClickHouseCallException {
        List<MetricSpec> metrics = scope.spec().metrics();
        Map<String, VariantTotals> byVariant = new HashMap<>();
        for (JsonNode row : clickHouse.query(sql(scope, clickHouse.settings().qualify(PredictionsTable.NAME),
                clickHouse.settings().qualify(FeedbackTable.NAME)))) {
            List<VariantTotals.MetricTotals> totals = new ArrayList<>();
            for (int i = 0; i < metrics.size(); i++) {
                // 18.16 quotes 64-bit integers in JSON (sums of UInt8 conversions); asDouble reads both forms
                totals.add(new VariantTotals.MetricTotals(row.path("sum_" + i).asDouble(), row.path("sq_" + i).asDouble()));
            }
            String variant = row.path("variant").asText();
            byVariant.put(variant, new VariantTotals(variant, row.path("units").asLong(), row.path("first_ms").asLong(), totals));
        }
        return scope.variants().stream()
                .map(v -> byVariant.getOrDefault(v, VariantTotals.none(v, metrics.size())))
                .toList();
    }

    static String sql(AnalysisScope scope, String predictions, String feedback) {
        List<MetricSpec> metrics = scope.spec().metrics();
        StringBuilder outer = new StringBuilder("SELECT variant, count() AS units, min(first_exposure_ms) AS first_ms");
        StringBuilder perUnit = new StringBuilder("SELECT unit_id, argMin(assigned_variant, event_time_ms) AS variant,"
                + " min(event_time_ms) AS first_exposure_ms");
        List<String> feedbackColumns = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricSpec metric = metrics.get(i);
            outer.append(", sum(y_").append(i).append(") AS sum_").append(i)
                    .append(", sum(y_").append(i).append(" * y_").append(i).append(") AS sq_").append(i);
            perUnit.append(", ").append(unitValue(metric, i)).append(" AS y_").append(i);
            if (metric.source() == MetricSpec.Source.FEEDBACK) {
                String aggregate = metric.kind() == MetricSpec.Kind.BINARY ? "maxIf" : "sumIf";
                feedbackColumns.add(aggregate + "(value, metric = " + SqlLiterals.quote(metric.name()) + ") AS f_" + i);
            }
        }
        String exposures = "SELECT unit_id, request_id, assigned_variant, event_time_ms, latency_ms, score FROM " + predictions
                + " WHERE experiment = " + SqlLiterals.quote(scope.spec().name())
                + " AND role = 'primary' AND assignment_reason IN ('hash', 'fallback') AND unit_id != ''";
        String source = feedbackColumns.isEmpty() ? "(" + exposures + ")"
                : "(" + exposures + ") ANY LEFT JOIN (SELECT request_id, " + String.join(", ", feedbackColumns)
                        + " FROM " + feedback + " WHERE metric IN (" + metrics.stream()
                        .filter(m -> m.source() == MetricSpec.Source.FEEDBACK)
                        .map(m -> SqlLiterals.quote(m.name())).collect(Collectors.joining(", "))
                        + ") GROUP BY request_id) USING request_id";
        return outer + " FROM (" + perUnit + " FROM " + source + " GROUP BY unit_id"
                + " HAVING first_exposure_ms >= " + scope.sinceMillis() + ") GROUP BY variant ORDER BY variant";
    }

    /** The per-unit value of a metric, from the joined per-request columns (see the class comment). */
    private static String unitValue(MetricSpec metric, int index) {
        switch (metric.source()) {
            case LATENCY_MS:
                return "avg(latency_ms)";
            case SCORE:
                return "avg(score)";
            default:
                // a request without feedback joins as 0 (ANY LEFT JOIN fills defaults): not converted, adds nothing
                return metric.kind() == MetricSpec.Kind.BINARY ? "max(f_" + index + " > 0)" : "sum(f_" + index + ")";
        }
    }
}
