package dev.modelgate.gateway.drift;

import java.time.Instant;

/**
 * One row of {@code drift_reports}.
 *
 * @param feature the feature, or {@link #DATASET} for the run's overall row
 * @param pValue the p-value the verdict used (Benjamini–Hochberg adjusted); NaN for distances
 * @param verdict {@code drift}, {@code no_drift} or {@code unknown}: the run's verdict, on every row of the run
 */
public record DriftReportRow(Instant time, String runId, String model, String variant, String feature, String method,
                             double statistic, double pValue, double threshold, boolean drifted, DriftWindow window,
                             long nReference, long nCurrent, String verdict, String instanceId) {

    public static final String DATASET = "";
    public static final String DATASET_METHOD = "dataset";
}
