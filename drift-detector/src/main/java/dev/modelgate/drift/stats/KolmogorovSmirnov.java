package dev.modelgate.drift.stats;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.commons.math3.util.ArithmeticUtils;

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, behaving like SciPy's {@code ks_2samp(method='auto')}.
 *
 * <p>Commons Math supplies the statistic (which handles ties correctly) and the one-sample KS
 * distribution; its own two-sample p-value is not used because (a) for {@code n*m < 10000} it adds
 * random jitter to tied values, changing D, and (b) its exact path counts lattice paths in doubles
 * divided by {@code C(n+m, n)}, which overflows once {@code n + m} exceeds about 1030. Instead:
 * <ul>
 *   <li>exact (when {@code max(n, m) <= 10000}, SciPy's {@code MAX_AUTO_N}): the probability that a
 *       uniformly random merge order of the two samples leaves the band {@code |F_x - F_y| < D},
 *       computed by a dynamic programme over probabilities (not path counts) that accumulates the mass
 *       leaving the band, so it neither overflows nor loses tail precision to {@code 1 - x};
 *       O(n·m) time, O(m) memory. Like SciPy, this is the no-ties null distribution evaluated at the
 *       observed (tie-aware) D.</li>
 *   <li>asymptotic (larger samples): SciPy's choice, the one-sample KS distribution with
 *       {@code round(n·m / (n + m))} observations, taken from Commons Math {@code cdf(d, n)}.</li>
 * </ul>
 */
public final class KolmogorovSmirnov {

    /** Largest sample size for which the exact distribution is used (SciPy's MAX_AUTO_N). */
    public static final int MAX_EXACT_N = 10_000;

    private final KolmogorovSmirnovTest commonsMath = new KolmogorovSmirnovTest();

    public TestOutcome test(double[] x, double[] y) {
        requireSample("x", x);
        requireSample("y", y);
        double d = commonsMath.kolmogorovSmirnovStatistic(x, y);
        int n = x.length;
        int m = y.length;
        if (Math.max(n, m) <= MAX_EXACT_N) {
            long g = ArithmeticUtils.gcd(n, m);
            long lcm = (n / g) * (long) m;
            // Snap D onto the lattice of attainable values, as SciPy does, so rounding in D cannot
            // move a point across the band's edge.
            long h = Math.round(d * lcm);
            return new TestOutcome((double) h / lcm, h == 0 ? 1.0 : exactOutside(n, m, m / g, n / g, h));
        }
        long effectiveN = Math.round(Math.rint((double) n * m / (n + m)));
        double p = 1.0 - commonsMath.cdf(d, Math.toIntExact(effectiveN));
        return new TestOutcome(d, clamp(p));
    }

    /**
     * P(a random merge path from (0,0) to (n,m) touches a point with |i·mg − j·ng| ≥ h), i.e. P(D ≥ d).
     * At (i, j) the remaining n−i and m−j values are in uniformly random order, so the next value
     * comes from x with probability (n−i)/(n−i+m−j).
     */
    private static double exactOutside(int n, int m, long mg, long ng, long h) {
        double[] row = new double[m + 1];
        double outside = 0.0;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                double p;
                if (i == 0 && j == 0) {
                    p = 1.0;
                } else {
                    p = 0.0;
                    if (i > 0) {
                        int xLeft = n - i + 1;
                        p += row[j] * xLeft / (xLeft + m - j);
                    }
                    if (j > 0) {
                        int yLeft = m - j + 1;
                        p += row[j - 1] * yLeft / (n - i + yLeft);
                    }
                }
                if (Math.abs(i * mg - j * ng) >= h) {
                    outside += p;
                    p = 0.0;
                }
                row[j] = p;
            }
        }
        return clamp(outside);
    }

    private static double clamp(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    static void requireSample(String name, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + " must contain at least one value");
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must contain only finite values, found " + v);
            }
        }
    }
}
