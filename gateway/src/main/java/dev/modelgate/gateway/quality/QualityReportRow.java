package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.ReliabilityBin;
import java.time.Instant;
import java.util.List;

/** One row of {@code quality_reports}; see {@link QualityTables#QUALITY_REPORTS}. */
public record QualityReportRow(Instant time, String runId, String model, String variant, String task, String kind, String metric,
                        MetricEstimate estimate, DriftWindow window, double baselineValue, double pValue, String verdict,
                        String alertState, String transition, String reason, String instanceId, List<ReliabilityBin> curve) {
}
