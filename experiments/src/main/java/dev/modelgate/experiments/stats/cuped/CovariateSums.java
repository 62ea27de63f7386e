package dev.modelgate.experiments.stats.cuped;

import dev.modelgate.experiments.stats.Validate;

/**
 * Sufficient statistics of a metric {@code Y} and its pre-period covariate {@code X} in one arm, as a
 * database aggregates them: {@code count(), sum(y), sum(y*y), sum(x), sum(x*x), sum(x*y)}.
 */
public record CovariateSums(long n, double sumY, double sumYSquared, double sumX, double sumXSquared,
                            double sumXY) {

    public CovariateSums {
        Validate.atLeast("n", n, 2);
        Validate.finite("sumY", sumY);
        Validate.nonNegative("sumYSquared", sumYSquared);
        Validate.finite("sumX", sumX);
        Validate.nonNegative("sumXSquared", sumXSquared);
        Validate.finite("sumXY", sumXY);
    }

    /** Accumulates raw paired observations, for tests and small batches. */
    public static CovariateSums of(double[] y, double[] x) {
        if (y.length != x.length) {
            throw new IllegalArgumentException("x must have one value per y (" + y.length + "), had " + x.length);
        }
        double sy = 0;
        double syy = 0;
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < y.length; i++) {
            sy += y[i];
            syy += y[i] * y[i];
            sx += x[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        return new CovariateSums(y.length, sy, syy, sx, sxx, sxy);
    }

    public CovariateSums plus(CovariateSums other) {
        return new CovariateSums(n + other.n, sumY + other.sumY, sumYSquared + other.sumYSquared,
                sumX + other.sumX, sumXSquared + other.sumXSquared, sumXY + other.sumXY);
    }

    public double meanY() {
        return sumY / n;
    }

    public double meanX() {
        return sumX / n;
    }

    /** Unbiased sample variance of Y. */
    public double varianceY() {
        return Math.max(0.0, (sumYSquared - sumY * meanY()) / (n - 1));
    }

    /** Unbiased sample variance of X. */
    public double varianceX() {
        return Math.max(0.0, (sumXSquared - sumX * meanX()) / (n - 1));
    }

    /** Unbiased sample covariance of X and Y. */
    public double covarianceXY() {
        return (sumXY - sumX * meanY()) / (n - 1);
    }
}
