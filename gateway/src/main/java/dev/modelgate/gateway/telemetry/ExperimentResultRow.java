package dev.modelgate.gateway.telemetry;

import java.util.Objects;

/**
 * One row of {@code experiment_results}: one metric of one variant in one analysis run, for dashboards.
 * Statistics that do not apply (the control's comparison with itself, a lift over a zero control, a
 * chance to beat for a continuous metric) are NaN.
 *
 * @param runId      shared by every row of one run
 * @param estimate   the variant's conversion rate or mean
 * @param ciLow      lower bound of the fixed-horizon interval of {@code variant - control}
 * @param ciHigh     upper bound of that interval
 * @param lift       {@code variant / control - 1}
 * @param decision   the recommendation for the variant (ship, keep_running, stop, inconclusive), or ""
 */
public record ExperimentResultRow(
        String runId,
        long timestampMillis,
        String experiment,
        String metric,
        String variant,
        boolean control,
        long n,
        double estimate,
        double ciLow,
        double ciHigh,
        double lift,
        double pValue,
        double pValueSequential,
        double chanceToBeat,
        double srmPValue,
        String decision,
        String instanceId) {

    public ExperimentResultRow {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(variant, "variant");
    }
}
