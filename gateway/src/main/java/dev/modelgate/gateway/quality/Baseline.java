package dev.modelgate.gateway.quality;

import java.time.Instant;

/**
 * What a variant's windows are compared with: the metrics of a reference period of its own labelled
 * traffic, or of a labelled reference set uploaded by its owners.
 *
 * @param source e.g. {@code period:2026-12-01T00:00:00Z/2026-12-02T00:00:00Z} or {@code upload}
 */
public record Baseline(String model, String variant, String source, Instant createdAt, MetricSet metrics) {
}
