package dev.modelgate.drift.stats;

import java.util.Arrays;

/**
 * First Wasserstein (earth mover's) distance between two empirical distributions on the real line,
 * the integral of |F_u − F_v|; equal to SciPy's {@code wasserstein_distance(u, v)} without weights.
 * Hand-written because Commons Math 3.6.1 has no optimal-transport distance; on the line it is a
 * single merge of the two sorted samples.
 */
public final class Wasserstein {

    public double distance(double[] u, double[] v) {
        KolmogorovSmirnov.requireSample("u", u);
        KolmogorovSmirnov.requireSample("v", v);
        double[] a = sorted(u);
        double[] b = sorted(v);
        int i = 0;
        int j = 0;
        double previous = Math.min(a[0], b[0]);
        double area = 0.0;
        while (i < a.length || j < b.length) {
            double next = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            // Between the previous point and this one both ECDFs are flat.
            area += Math.abs((double) i / a.length - (double) j / b.length) * (next - previous);
            while (i < a.length && a[i] == next) {
                i++;
            }
            while (j < b.length && b[j] == next) {
                j++;
            }
            previous = next;
        }
        return area;
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
