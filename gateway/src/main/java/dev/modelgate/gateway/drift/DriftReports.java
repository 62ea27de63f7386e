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
        if (run.dataset().isPresent()) {
            DatasetDrift dataset = run.dataset().get();
            for (FeatureDrift f : dataset.features()) {
                rows.add(row(run, instanceId, f.feature(), f.method().name().toLowerCase(Locale.ROOT), f.statistic(), f.pValue(),
                        f.adjustedPValue(), f.threshold(), f.drifted(), f.nReference(), f.nCurrent(), List.of()));
            }
            rows.add(row(run, instanceId, DriftReportRow.DATASET, DriftReportRow.DATASET_METHOD, dataset.driftedShare(),
                    Double.NaN, Double.NaN, dataset.shareThreshold(), dataset.drifted(), 0, dataset.smallestCurrentSize(),
                    dataset.featuresWithoutData()));
        } else {
            rows.add(row(run, instanceId, DriftReportRow.DATASET, DriftReportRow.DATASET_METHOD, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, false, 0, 0, List.of()));
        }
        return rows;
    }

    private static DriftReportRow row(DriftRun run, String instanceId, String feature, String method, double statistic,
                                      double rawPValue, double adjustedPValue, double threshold, boolean drifted,
                                      long nReference, long nCurrent, List<String> featuresWithoutData) {
        return new DriftReportRow(run.time(), run.runId(), run.model(), run.variant(), feature, method, statistic, rawPValue,
                adjustedPValue, threshold, drifted, run.window(), nReference, nCurrent, run.verdictName(), run.reason(),
                run.alertState().state().name().toLowerCase(Locale.ROOT), run.transition().name().toLowerCase(Locale.ROOT),
                featuresWithoutData, instanceId);
    }
}
