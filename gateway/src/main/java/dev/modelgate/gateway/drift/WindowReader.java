package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.drift.evaluate.CurrentWindow;
import dev.modelgate.drift.evaluate.MethodSelector;
import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.FeatureValues;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a variant's window of logged predictions as a {@link CurrentWindow}, with ClickHouse doing
 * the counting: one scan counts every column's values per reference cell (exact over the whole
 * window); a second pulls a bounded uniform sample only for the columns whose chosen method needs
 * raw values (KS, Wasserstein). A million-row window thus ships a few thousand numbers, not millions.
 * Blocking: call off the event loop.
 */
final class WindowReader {

    private final ClickHouseConnection clickHouse;
    private final PredictionQueries queries;
    private final int sampleRows;

    /** @param sampleRows values per column pulled for sample-based methods; at least the KS limit so small windows are read whole */
    WindowReader(ClickHouseConnection clickHouse, PredictionQueries queries, int sampleRows) {
        this.clickHouse = clickHouse;
        this.queries = queries;
        this.sampleRows = sampleRows;
    }

    CurrentWindow read(DriftTarget target, ReferenceProfile reference, DriftWindow window, MethodSelector selector)
            throws ClickHouseCallException {
        String filter = queries.windowFilter(target.model(), target.variant(), window);
        List<String> binned = new ArrayList<>();
        List<double[]> edges = new ArrayList<>();
        List<String> counted = new ArrayList<>();
        reference.features().forEach((column, profile) -> {
            if (isBinned(profile)) {
                binned.add(column);
                edges.add(((NumericProfile) profile).binEdgeArray());
            } else {
                counted.add(column);
            }
        });

        Map<String, long[]> bins = new LinkedHashMap<>();
        Map<String, Map<String, Long>> categories = new LinkedHashMap<>();
        for (JsonNode row : clickHouse.query(queries.cellCounts(filter, binned, edges, counted))) {
            int c = row.path("c").asInt() - 1;
            long count = row.path("n").asLong();
            if (c < binned.size()) {
                bins.computeIfAbsent(binned.get(c), name -> new long[edges.get(c).length + 1])[row.path("bin").asInt()] += count;
            } else {
                categories.computeIfAbsent(counted.get(c - binned.size()), name -> new LinkedHashMap<>())
                        .merge(FeatureValues.numericCategory(row.path("value").asDouble()), count, Long::sum);
            }
        }

        CurrentWindow.Builder builder = CurrentWindow.builder(reference);
        bins.forEach(builder::binCounts);
        categories.forEach(builder::categoryCounts);
        List<String> sampled = new ArrayList<>();
        long largest = 0;
        for (Map.Entry<String, long[]> e : bins.entrySet()) {
            long size = Arrays.stream(e.getValue()).sum();
            if (selector.choose(e.getKey(), reference.feature(e.getKey()), size).method().isNumericOnly()) {
                sampled.add(e.getKey());
                largest = Math.max(largest, size);
            }
        }
        if (!sampled.isEmpty()) {
            // rounding up keeps the expected sample within the per-column LIMIT, so the LIMIT rarely cuts it non-uniformly
            long modulus = Math.max(1, (largest + sampleRows - 1) / sampleRows);
            for (JsonNode row : clickHouse.query(queries.sample(filter, sampled, modulus, sampleRows))) {
                builder.add(sampled.get(row.path("c").asInt() - 1), row.path("v").asDouble());
            }
        }
        return builder.build();
    }

    private static boolean isBinned(FeatureProfile profile) {
        return profile instanceof NumericProfile && !((NumericProfile) profile).isBinary();
    }
}
