package dev.modelgate.statistics.multiplicity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values for a family of hypotheses (e.g. every variant × metric of an experiment); reject
 * hypothesis {@code i} at level α when {@code adjusted[i] < α}. Output order equals input order.
 * Commons Math has neither procedure.
 */
public enum PValueAdjustment {

    /**
     * Holm-Bonferroni step-down (Holm 1979): controls the family-wise error rate under any dependence.
     * Sorted ascending, {@code adj_(i) = max_{j<=i} min(1, (m - j + 1) p_(j))}.
     */
    HOLM {
        @Override
        double[] adjustSorted(double[] sorted) {
            int m = sorted.length;
            double[] adjusted = new double[m];
            double runningMax = 0.0;
            for (int i = 0; i < m; i++) {
                runningMax = Math.max(runningMax, Math.min(1.0, (m - i) * sorted[i]));
                adjusted[i] = runningMax;
            }
            return adjusted;
        }
    },

    /**
     * Benjamini-Hochberg step-up (1995): controls the false discovery rate for independent or positively
     * dependent tests. Sorted ascending, {@code adj_(i) = min_{j>=i} min(1, m p_(j) / j)}.
     */
    BENJAMINI_HOCHBERG {
        @Override
        double[] adjustSorted(double[] sorted) {
            int m = sorted.length;
            double[] adjusted = new double[m];
            double runningMin = 1.0;
            for (int i = m - 1; i >= 0; i--) {
                runningMin = Math.min(runningMin, m * sorted[i] / (i + 1));
                adjusted[i] = runningMin;
            }
            return adjusted;
        }
    };

    /** Returns the adjusted p-values, in the order of {@code pValues}; the input is not modified. */
    public double[] adjust(double... pValues) {
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0.0 && pValues[i] <= 1.0)) {
                throw new IllegalArgumentException("pValues[" + i + "] must be in [0, 1], was " + pValues[i]);
            }
        }
        Integer[] order = IntStream.range(0, pValues.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] sorted = new double[pValues.length];
        for (int rank = 0; rank < order.length; rank++) {
            sorted[rank] = pValues[order[rank]];
        }
        double[] adjustedSorted = adjustSorted(sorted);
        double[] adjusted = new double[pValues.length];
        for (int rank = 0; rank < order.length; rank++) {
            adjusted[order[rank]] = adjustedSorted[rank];
        }
        return adjusted;
    }

    abstract double[] adjustSorted(double[] sorted);
}
