package dev.modelgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.experiments.canary.GuardrailWindow;
import dev.modelgate.experiments.canary.MetricWindow;
import dev.modelgate.experiments.canary.VariantWindow;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.gateway.analysis.AnalysisScope;
import dev.modelgate.gateway.analysis.UnitAggregation;
import dev.modelgate.gateway.analysis.VariantTotals;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the baseline and the candidate did since the current step began, by assigned variant (a
 * candidate request rescued by a fallback counts as a candidate error). The fleet-wide numbers come
 * from ClickHouse; when it cannot answer, this replica's own counters stand in, and the evidence says so.
 * Guardrail metrics are per-unit values joined with feedback, which only ClickHouse has: they are read
 * with the experiment analyzer's aggregation over the units first exposed in the step, and are missing
 * (the evaluator then holds) when ClickHouse cannot answer.
 */
public final class CanaryWindows {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryWindows.class);

    /** Both windows, and where they came from: {@code clickhouse} or {@code local}. */
    public record Windows(VariantWindow baseline, VariantWindow candidate, String source) {}

    private final Optional<ClickHouseConnection> clickHouse;
    private final Optional<UnitAggregation> units;
    private final LocalVariantStats local;

    public CanaryWindows(Optional<ClickHouseConnection> clickHouse, LocalVariantStats local) {
        this.clickHouse = clickHouse;
        this.units = clickHouse.map(UnitAggregation::new);
        this.local = local;
    }

    /** Blocks on ClickHouse: call from a worker. */
    public Windows read(CanarySpec spec, long sinceMillis, long nowMillis) {
        if (clickHouse.isPresent()) {
            try {
                Map<String, VariantWindow> byVariant = query(clickHouse.get(), spec, sinceMillis);
                return new Windows(byVariant.getOrDefault(spec.baseline(), empty()),
                        byVariant.getOrDefault(spec.candidate(), empty()), "clickhouse");
            } catch (Exception e) {
                LOG.warn("canary '{}': ClickHouse cannot answer ({}); deciding on this replica's own traffic", spec.name(), e.getMessage());
            }
        }
        return new Windows(local.window(spec.name(), spec.baseline(), sinceMillis, nowMillis),
                local.window(spec.name(), spec.candidate(), sinceMillis, nowMillis), "local");
    }

    /**
     * The spec's guardrail metrics on both variants over the units first exposed in the current step; empty
     * when the spec has none, or when they cannot be read. Blocks on ClickHouse: call from a worker.
     */
    public List<GuardrailWindow> guardrails(StoredExperiment experiment) {
        if (!(experiment.spec() instanceof CanarySpec spec) || spec.metrics().stream().noneMatch(MetricSpec::guardrail)
                || units.isEmpty()) {
            return List.of();
        }
        // a stored canary always has its rollout state, so its scope (the step's units) always exists
        AnalysisScope scope = AnalysisScope.of(experiment).orElseThrow();
        Map<String, VariantTotals> byVariant;
        try {
            byVariant = units.get().read(scope).stream().collect(Collectors.toMap(VariantTotals::variant, Function.identity()));
        } catch (ClickHouseCallException e) {
            LOG.warn("canary '{}': ClickHouse cannot answer for the guardrail metrics ({}); they hold the rollout", spec.name(),
                    e.getMessage());
            return List.of();
        }
        List<GuardrailWindow> out = new ArrayList<>();
        List<MetricSpec> metrics = spec.metrics();
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).guardrail()) {
                out.add(new GuardrailWindow(metrics.get(i).name(), window(byVariant.get(spec.baseline()), i),
                        window(byVariant.get(spec.candidate()), i)));
            }
        }
        return out;
    }

    private static MetricWindow window(VariantTotals totals, int metric) {
        VariantTotals.MetricTotals sums = totals.metrics().get(metric);
        return new MetricWindow(totals.units(), sums.sum(), sums.sumOfSquares());
    }

    private static Map<String, VariantWindow> query(ClickHouseConnection clickHouse, CanarySpec spec, long sinceMillis) throws Exception {
        long sinceSeconds = Math.floorDiv(sinceMillis, 1000L);
        String sql = "SELECT assigned_variant AS variant, count() AS requests,"
                + " countIf(status >= 500 OR assignment_reason = 'fallback') AS errors,"
                + " quantile(0.99)(latency_ms) AS p99"
                + " FROM " + clickHouse.settings().qualify("predictions")
                + " WHERE event_date >= toDate(toDateTime(" + sinceSeconds + "))"
                + " AND model = " + SqlLiterals.quote(spec.model())
                + " AND event_time >= toDateTime(" + sinceSeconds + ")"
                + " AND event_time_ms >= " + sinceMillis
                + " AND experiment = " + SqlLiterals.quote(spec.name())
                + " AND role = 'primary'"
                + " GROUP BY variant";
        Map<String, VariantWindow> out = new HashMap<>();
        for (JsonNode row : clickHouse.query(sql)) {
            long requests = row.path("requests").asLong();
            out.put(row.path("variant").asText(), new VariantWindow(requests, Math.min(requests, row.path("errors").asLong()),
                    requests == 0 ? 0.0 : row.path("p99").asDouble()));
        }
        return out;
    }

    private static VariantWindow empty() {
        return new VariantWindow(0, 0, 0.0);
    }
}
