package dev.modelgate.drift.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg step-up adjusted p-values (SciPy {@code false_discovery_control(ps, method='bh')}):
 * rejecting every hypothesis whose adjusted p-value is at most q controls the false discovery rate at q
 * for independent or positively dependent tests. Commons Math 3.6.1 has no multiple-testing procedures.
 */
public final class BenjaminiHochberg {

    public double[] adjust(double[] pValues) {
        int m = pValues.length;
        for (double p : pValues) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("p-values must be in [0, 1], found " + p);
            }
        }
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double runningMin = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int index = order[rank - 1];
            runningMin = Math.min(runningMin, pValues[index] * m / rank);
            adjusted[index] = runningMin;
        }
        return adjusted;
    }
}
