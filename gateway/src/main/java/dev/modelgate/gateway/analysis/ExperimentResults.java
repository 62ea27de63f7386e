package dev.modelgate.gateway.analysis;

import java.util.List;
import java.util.Objects;

/**
 * An experiment's analysis at one point in time. JSON shape: {@link ResultsJson}.
 *
 * @param alpha     two-sided level of every interval and test
 * @param decisions one per treatment variant; empty when the spec defines no metric
 */
public record ExperimentResults(String experiment, String kind, String control, long computedAtMillis,
                                long sinceMillis, double alpha, SrmCheck srm, List<MetricResult> metrics,
                                List<VariantDecision> decisions) {

    public ExperimentResults {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(srm, "srm");
        metrics = List.copyOf(metrics);
        decisions = List.copyOf(decisions);
    }
}
