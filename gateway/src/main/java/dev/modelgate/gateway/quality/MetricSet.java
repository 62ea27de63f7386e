package dev.modelgate.gateway.quality;

import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.ReliabilityBin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics of one window (realised or estimated), by name in the task's order.
 *
 * @param n labelled rows (realised) or predictions (estimated)
 * @param reliability the reliability curve (binary, realised), else empty
 */
public record MetricSet(long n, Map<String, MetricEstimate> metrics, List<ReliabilityBin> reliability) {

    public MetricSet {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        reliability = List.copyOf(reliability);
    }

    public static final MetricSet EMPTY = new MetricSet(0, Map.of(), List.of());

    public Optional<MetricEstimate> metric(String name) {
        return Optional.ofNullable(metrics.get(name));
    }
}
