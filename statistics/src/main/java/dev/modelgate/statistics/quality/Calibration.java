package dev.modelgate.statistics.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration on equal-width bins of [0, 1]: the reliability curve of scikit-learn's
 * {@code calibration_curve(strategy="uniform")} (same bin edges and membership, empty bins left out)
 * and the expected calibration error {@code Σ_b (n_b / n) |mean score_b − fraction positive_b|}
 * (Naeini, Cooper and Hauskrecht 2015).
 */
public record Calibration(double expectedCalibrationError, List<ReliabilityBin> curve) {

    public Calibration {
        curve = List.copyOf(curve);
    }

    public static Calibration of(ScoreTable table, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, was " + bins);
        }
        long[] count = new long[bins];
        long[] positive = new long[bins];
        double[] scoreSum = new double[bins];
        for (int i = 0; i < table.cells(); i++) {
            int bin = bin(table.score(i), bins);
            long rows = table.positives(i) + table.negatives(i);
            count[bin] += rows;
            positive[bin] += table.positives(i);
            scoreSum[bin] += rows * table.score(i);
        }
        List<ReliabilityBin> curve = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) {
                continue;
            }
            double mean = scoreSum[b] / count[b];
            double fraction = (double) positive[b] / count[b];
            curve.add(new ReliabilityBin(edge(b, bins), edge(b + 1, bins), count[b], mean, fraction));
            ece += (double) count[b] / table.n() * Math.abs(mean - fraction);
        }
        return new Calibration(table.n() == 0 ? Double.NaN : ece, curve);
    }

    /** The edges of numpy's {@code linspace(0, 1, bins + 1)}. */
    private static double edge(int k, int bins) {
        return k == bins ? 1.0 : k * (1.0 / bins);
    }

    /** numpy's {@code searchsorted(interior edges, score, side="left")}: the number of interior edges below the score. */
    private static int bin(double score, int bins) {
        int bin = 0;
        while (bin < bins - 1 && edge(bin + 1, bins) < score) {
            bin++;
        }
        return bin;
    }
}
