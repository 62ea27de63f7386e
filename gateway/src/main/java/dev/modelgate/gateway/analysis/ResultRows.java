package dev.modelgate.gateway.analysis;

import dev.modelgate.gateway.telemetry.ExperimentResultRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Flattens results into {@code experiment_results} rows: one per metric and variant; an experiment
 * without metrics still gets one row per variant (metric "") so that dashboards can follow its units
 * and sample ratio check.
 */
final class ResultRows {

    private ResultRows() {}

    static List<ExperimentResultRow> of(ExperimentResults results, String instanceId) {
        String runId = UUID.randomUUID().toString();
        Map<String, String> decisions = new HashMap<>();
        results.decisions().forEach(d -> decisions.put(d.variant(), d.recommendation().decision().name().toLowerCase(Locale.ROOT)));
        double srm = results.srm().pValue();
        List<ExperimentResultRow> rows = new ArrayList<>();
        if (results.metrics().isEmpty()) {
            results.srm().units().forEach((variant, n) -> rows.add(new ExperimentResultRow(runId, results.computedAtMillis(),
                    results.experiment(), "", variant, variant.equals(results.control()), n, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, srm, decisions.getOrDefault(variant, ""), instanceId)));
        }
        for (MetricResult metric : results.metrics()) {
            for (VariantResult v : metric.variants()) {
                rows.add(v.comparison().map(c -> new ExperimentResultRow(runId, results.computedAtMillis(), results.experiment(),
                                metric.metric().name(), v.variant(), v.control(), v.n(), v.estimate(),
                                c.fixed().absolute().interval().lower(), c.fixed().absolute().interval().upper(),
                                c.fixed().relative().map(e -> e.estimate()).orElse(Double.NaN),
                                c.fixed().pValue(), c.sequential().pValue(), c.chanceToBeat().orElse(Double.NaN), srm,
                                decisions.getOrDefault(v.variant(), ""), instanceId))
                        .orElseGet(() -> new ExperimentResultRow(runId, results.computedAtMillis(), results.experiment(),
                                metric.metric().name(), v.variant(), v.control(), v.n(), v.estimate(), Double.NaN, Double.NaN,
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN, srm, decisions.getOrDefault(v.variant(), ""),
                                instanceId)));
            }
        }
        return rows;
    }
}
