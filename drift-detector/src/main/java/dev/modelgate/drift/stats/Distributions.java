package dev.modelgate.drift.stats;

/** Validation and normalisation shared by the distances between discrete distributions. */
final class Distributions {

    private Distributions() {
    }

    /** Returns the weights scaled to sum to one; rejects negative, non-finite or all-zero weights. */
    static double[] normalised(String name, double[] weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException(name + " must contain at least one cell");
        }
        double total = 0.0;
        for (double w : weights) {
            if (!(w >= 0.0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(name + " must contain finite non-negative weights, found " + w);
            }
            total += w;
        }
        if (total == 0.0) {
            throw new IllegalArgumentException(name + " must have a positive total");
        }
        double[] p = new double[weights.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = weights[i] / total;
        }
        return p;
    }

    static void requireSameLength(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException(
                    "reference and current must have the same number of cells: " + p.length + " vs " + q.length);
        }
    }
}
