package dev.modelgate.gateway.drift;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code drift_reports}: a run is its feature rows plus one {@link #DATASET} row, and holds
 * every field of the admin API's answer, so that a run read back after a restart reads as it did live.
 *
 * @param feature the feature, or {@link #DATASET} for the run's overall row
 * @param statistic the test statistic or distance; on the dataset row the share of drifted features,
 *     NaN when the run compared nothing (no reference, ClickHouse unavailable)
 * @param rawPValue the test's own p-value; NaN for distances and on the dataset row
 * @param adjustedPValue the p-value the verdict used, Benjamini–Hochberg adjusted across the run's tests
 *     (column {@code p_value}); NaN for distances and on the dataset row
 * @param threshold the feature's threshold; on the dataset row the share threshold
 * @param drifted the feature drifted; on the dataset row the dataset did
 * @param nCurrent current values compared; on the dataset row the fewest of any feature
 * @param verdict {@code drift}, {@code no_drift} or {@code unknown}: the run's verdict, on every row of the run
 * @param reason why the verdict is unknown, empty otherwise (every row)
 * @param alertState the alert rule's state after the run, lower case (every row)
 * @param transition {@code fired}, {@code resolved} or {@code none} (every row)
 * @param featuresWithoutData reference features the window had no value of (dataset row; empty on the others)
 */
public record DriftReportRow(Instant time, String runId, String model, String variant, String feature, String method,
                             double statistic, double rawPValue, double adjustedPValue, double threshold, boolean drifted,
                             DriftWindow window, long nReference, long nCurrent, String verdict, String reason,
                             String alertState, String transition, List<String> featuresWithoutData, String instanceId) {

    public static final String DATASET = "";
    public static final String DATASET_METHOD = "dataset";

    public DriftReportRow {
        featuresWithoutData = List.copyOf(featuresWithoutData);
    }

    boolean isDataset() {
        return feature.equals(DATASET);
    }
}
