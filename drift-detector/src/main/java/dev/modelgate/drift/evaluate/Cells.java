package dev.modelgate.drift.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference and current counts over the same cells (reference-quantile bins or categories).
 *
 * <p>Cells empty on both sides are dropped. Cells the reference never saw but the current window did
 * (new categories, values beyond every reference bin) are pooled into one "unseen" cell: whatever the
 * new values are, the question is only how much mass moved to where the reference had none.
 */
final class Cells {

    /**
     * Pseudo-count the chi-square test gives the unseen cell: half an observation (the
     * Krichevsky–Trofimov / Jeffreys estimate for an outcome not yet seen), since an expected count of
     * zero makes the statistic infinite whatever the amount of new data.
     */
    static final double UNSEEN_PSEUDO_COUNT = 0.5;

    private final long[] reference;
    private final long[] current;
    private final boolean hasUnseen;

    private Cells(long[] reference, long[] current, boolean hasUnseen) {
        this.reference = reference;
        this.current = current;
        this.hasUnseen = hasUnseen;
    }

    static Cells align(long[] reference, long[] current) {
        List<long[]> kept = new ArrayList<>();
        long unseen = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] > 0) {
                kept.add(new long[] {reference[i], current[i]});
            } else {
                unseen += current[i];
            }
        }
        if (unseen > 0) {
            kept.add(new long[] {0, unseen});
        }
        long[] r = new long[kept.size()];
        long[] c = new long[kept.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = kept.get(i)[0];
            c[i] = kept.get(i)[1];
        }
        return new Cells(r, c, unseen > 0);
    }

    static Cells ofCategories(Map<String, Long> referenceCounts, List<String> currentLabels) {
        Map<String, Long> currentCounts = new LinkedHashMap<>();
        for (String label : currentLabels) {
            currentCounts.merge(label, 1L, Long::sum);
        }
        return ofCategoryCounts(referenceCounts, currentCounts);
    }

    static Cells ofCategoryCounts(Map<String, Long> referenceCounts, Map<String, Long> currentCounts) {
        Map<String, long[]> byCategory = new LinkedHashMap<>();
        referenceCounts.forEach((category, count) -> byCategory.put(category, new long[] {count, 0}));
        currentCounts.forEach((label, count) -> byCategory.computeIfAbsent(label, l -> new long[2])[1] += count);
        long[] r = new long[byCategory.size()];
        long[] c = new long[byCategory.size()];
        int i = 0;
        for (long[] counts : byCategory.values()) {
            r[i] = counts[0];
            c[i++] = counts[1];
        }
        return align(r, c);
    }

    long referenceTotal() {
        long total = 0;
        for (long r : reference) {
            total += r;
        }
        return total;
    }

    double[] referenceWeights() {
        double[] weights = new double[reference.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = reference[i];
        }
        return weights;
    }

    /** Reference weights with the unseen cell given {@link #UNSEEN_PSEUDO_COUNT}, all positive. */
    double[] expectedWeights() {
        double[] weights = referenceWeights();
        if (hasUnseen) {
            weights[weights.length - 1] = UNSEEN_PSEUDO_COUNT;
        }
        return weights;
    }

    double[] currentWeights() {
        double[] weights = new double[current.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = current[i];
        }
        return weights;
    }

    long[] currentCounts() {
        return current.clone();
    }
}
