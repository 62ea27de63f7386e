package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.statistics.quality.Degradation;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.ReliabilityBin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A run as {@code quality_reports} rows: its metrics by kind, then the verdict row. */
final class QualityReports {

    static final String REALISED = "realised";
    static final String ESTIMATED = "estimated";
    static final String ESTIMATED_CURRENT = "estimated_current";
    static final String VERDICT = "verdict";

    private QualityReports() {
    }

    static List<QualityReportRow> rows(QualityRun run, String instanceId) {
        List<QualityReportRow> rows = new ArrayList<>();
        metrics(run, REALISED, Optional.of(run.realised()), run.labelledWindow(), instanceId, rows);
        metrics(run, ESTIMATED, run.estimated(), run.labelledWindow(), instanceId, rows);
        metrics(run, ESTIMATED_CURRENT, run.estimatedCurrent(), run.currentWindow(), instanceId, rows);
        Judgement j = run.judgement();
        Optional<Degradation> test = j.test();
        MetricEstimate tested = new MetricEstimate(test.map(Degradation::current).orElse(Double.NaN), Double.NaN, Double.NaN,
                Double.NaN, j.sampleSize());
        rows.add(new QualityReportRow(run.time(), run.runId(), run.model(), run.variant(), run.target().spec().task().configName(),
                VERDICT, j.metric(), tested, "estimated".equals(j.source()) ? run.currentWindow() : run.labelledWindow(),
                test.map(Degradation::baseline).orElse(Double.NaN), test.map(Degradation::pValue).orElse(Double.NaN), j.verdictName(),
                Judgement.lower(run.alertState().state()), transition(run.transition()), reason(j), instanceId, List.of()));
        return rows;
    }

    private static void metrics(QualityRun run, String kind, Optional<MetricSet> set, DriftWindow window, String instanceId,
                                List<QualityReportRow> rows) {
        set.ifPresent(s -> s.metrics().forEach((metric, estimate) -> {
            List<ReliabilityBin> curve = REALISED.equals(kind) && "ece".equals(metric) ? s.reliability() : List.of();
            rows.add(new QualityReportRow(run.time(), run.runId(), run.model(), run.variant(), run.target().spec().task().configName(),
                    kind, metric, estimate, window, Double.NaN, Double.NaN, "", "", "", "", instanceId, curve));
        }));
    }

    /** The judgement's source goes first, so a stored verdict says what it rests on. */
    private static String reason(Judgement j) {
        return j.source().isEmpty() ? j.reason() : "source=" + j.source() + (j.reason().isEmpty() ? "" : "; " + j.reason());
    }

    static String transition(AlertTransition transition) {
        return Judgement.lower(transition);
    }
}
