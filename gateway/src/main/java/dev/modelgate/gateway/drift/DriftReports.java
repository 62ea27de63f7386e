package dev.modelgate.gateway.drift;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.FeatureDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a run into its {@code drift_reports} rows: one per compared feature plus the dataset row. */
final class DriftReports {

    private DriftReports() {
    }

    static List<DriftReportRow> rows(DriftRun run, String instanceId) {
        List<DriftReportRow> rows = new ArrayList<>();
        String verdict = run.verdictName();
        if (run.dataset().isPresent()) {
            DatasetDrift dataset = run.dataset().get();
            for (FeatureDrift f : dataset.features()) {
                rows.add(new DriftReportRow(run.time(), run.runId(), run.model(), run.variant(), f.feature(),
                        f.method().name().toLowerCase(Locale.ROOT), f.statistic(), f.adjustedPValue(), f.threshold(),
                        f.drifted(), run.window(), f.nReference(), f.nCurrent(), verdict, instanceId));
            }
            rows.add(datasetRow(run, instanceId, dataset.driftedShare(), dataset.shareThreshold(), dataset.drifted(),
                    dataset.smallestCurrentSize()));
        } else {
            rows.add(datasetRow(run, instanceId, Double.NaN, Double.NaN, false, 0));
        }
        return rows;
    }

    private static DriftReportRow datasetRow(DriftRun run, String instanceId, double share, double threshold,
                                             boolean drifted, long nCurrent) {
        return new DriftReportRow(run.time(), run.runId(), run.model(), run.variant(), DriftReportRow.DATASET,
                DriftReportRow.DATASET_METHOD, share, Double.NaN, threshold, drifted, run.window(), 0, nCurrent,
                run.verdictName(), instanceId);
    }
}
