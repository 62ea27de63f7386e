package dev.modelgate.drift.evaluate;

import dev.modelgate.drift.profile.CategoricalProfile;
import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.FeatureValues;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.QuantileBins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A feature's reference and current window side by side, on the cells its drift test reads: the
 * reference's quantile bins for a numeric feature, categories (reference's and any new ones) for a
 * categorical or two-valued one. For people looking at drift, not for the tests themselves.
 *
 * @param labels    one per cell: {@code "≤ 12.5"}, {@code "(12.5, 40]"}, {@code "> 40"}, or the category
 * @param reference reference counts per cell (a numeric feature's are of its reservoir sample)
 * @param current   current window counts per cell
 */
public record FeatureHistogram(String feature, List<String> labels, List<Long> reference, List<Long> current) {

    public FeatureHistogram {
        labels = List.copyOf(labels);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (labels.size() != reference.size() || labels.size() != current.size()) {
            throw new IllegalArgumentException("labels, reference and current must have one entry per cell");
        }
    }

    /** The histogram of {@code feature}, or null when the window has no value of it. */
    public static FeatureHistogram of(String feature, FeatureProfile reference, CurrentWindow window) {
        if (window.size(feature) == 0) {
            return null;
        }
        if (reference instanceof CategoricalProfile categorical) {
            Map<String, Long> counted = window.countedCategories(feature);
            return categories(feature, categorical.categoryCounts(),
                    counted != null ? counted : tally(window.categoricalValues(feature)));
        }
        NumericProfile numeric = (NumericProfile) reference;
        if (numeric.isBinary()) {
            Map<String, Long> referenceCounts = new TreeMap<>();
            numeric.binaryValueCounts().forEach((value, count) -> referenceCounts.put(FeatureValues.numericCategory(value), count));
            Map<String, Long> counted = window.countedCategories(feature);
            List<String> labels = Arrays.stream(window.numericValues(feature)).mapToObj(FeatureValues::numericCategory).toList();
            return categories(feature, referenceCounts, counted != null ? counted : tally(labels));
        }
        double[] edges = numeric.binEdgeArray();
        long[] counted = window.countedBins(feature);
        long[] current = counted != null ? counted : QuantileBins.counts(window.numericValues(feature), edges);
        List<String> labels = new ArrayList<>();
        for (int k = 0; k <= edges.length; k++) {
            labels.add(k == 0 ? (edges.length == 0 ? "all" : "≤ " + number(edges[0]))
                    : k == edges.length ? "> " + number(edges[k - 1])
                    : "(" + number(edges[k - 1]) + ", " + number(edges[k]) + "]");
        }
        return new FeatureHistogram(feature, labels, numeric.binCounts(), Arrays.stream(current).boxed().toList());
    }

    private static FeatureHistogram categories(String feature, Map<String, Long> reference, Map<String, Long> current) {
        TreeMap<String, Long> all = new TreeMap<>(reference);
        current.keySet().forEach(category -> all.putIfAbsent(category, 0L));
        List<String> labels = new ArrayList<>(all.keySet());
        return new FeatureHistogram(feature, labels, labels.stream().map(c -> reference.getOrDefault(c, 0L)).toList(),
                labels.stream().map(c -> current.getOrDefault(c, 0L)).toList());
    }

    private static Map<String, Long> tally(List<String> labels) {
        Map<String, Long> counts = new TreeMap<>();
        labels.forEach(label -> counts.merge(label, 1L, Long::sum));
        return counts;
    }

    private static String number(double value) {
        return FeatureValues.numericCategory(Math.round(value * 1e4) / 1e4);
    }
}
