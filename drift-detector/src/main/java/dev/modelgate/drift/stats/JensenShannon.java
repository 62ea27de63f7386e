package dev.modelgate.drift.stats;

/**
 * Jensen–Shannon distance (the square root of the divergence) with the natural logarithm, as SciPy's
 * {@code jensenshannon(p, q)} computes by default and Evidently uses; it lies in [0, √ln 2 ≈ 0.833].
 * Inputs are normalised to sum to one. Empty cells need no smoothing: the mixture is positive
 * wherever either distribution is. Hand-written because Commons Math 3.6.1 has no JS divergence.
 */
public final class JensenShannon {

    public double distance(double[] reference, double[] current) {
        double[] p = Distributions.normalised("reference", reference);
        double[] q = Distributions.normalised("current", current);
        Distributions.requireSameLength(p, q);
        double divergence = 0.0;
        for (int i = 0; i < p.length; i++) {
            double mixture = (p[i] + q[i]) / 2.0;
            divergence += relativeEntropy(p[i], mixture) + relativeEntropy(q[i], mixture);
        }
        return Math.sqrt(Math.max(0.0, divergence / 2.0));
    }

    private static double relativeEntropy(double x, double y) {
        return x == 0.0 ? 0.0 : x * Math.log(x / y);
    }
}
