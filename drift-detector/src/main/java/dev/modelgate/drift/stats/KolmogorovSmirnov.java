package dev.modelgate.drift.stats;

import org.apache.commons.math3.special.Gamma;
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
 *   <li>asymptotic (larger samples): SciPy's choice, the survival function of the one-sample KS
 *       distribution with {@code en = round(n·m / (n + m))} observations. In the tail ({@code en·D² >= 2.2},
 *       or {@code > 4} for {@code en <= 140}, or {@code D >= 0.5}: SciPy's cut-offs in {@code _kolmogn})
 *       it is twice the exact one-sided Smirnov tail; elsewhere the p-value is at least 0.02 and
 *       {@code 1 - cdf(d, en)} of Commons Math is exact enough. {@code 1 - cdf} in the tail would lose its
 *       digits below 1e-10 and read 0 from about 1e-16 on.</li>
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
        int effectiveN = Math.toIntExact(Math.round(Math.rint((double) n * m / (n + m))));
        double nd2 = effectiveN * d * d;
        boolean tail = d >= 0.5 || (effectiveN <= 140 ? nd2 > 4.0 : nd2 >= 2.2);
        double p = tail ? 2.0 * smirnovTail(effectiveN, d) : 1.0 - commonsMath.cdf(d, effectiveN);
        return new TestOutcome(d, clamp(p));
    }

    /**
     * {@code P(D+_n >= x)}, the exact one-sided Smirnov tail (SciPy {@code special.smirnov}), by the
     * Birnbaum–Tingey sum {@code x Σ_{j=0}^{⌊n(1-x)⌋} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1)}. Its terms are
     * positive, so summing them in log space keeps the relative precision (about 1e-11 at n = 6667) down to
     * the smallest doubles. O(n).
     */
    static double smirnovTail(int n, double x) {
        int last = (int) Math.floor(n * (1.0 - x));
        double[] logTerms = new double[last + 1];
        double max = Double.NEGATIVE_INFINITY;
        double logNFactorial = Gamma.logGamma(n + 1.0);
        for (int j = 0; j <= last; j++) {
            double gap = 1.0 - x - (double) j / n;
            logTerms[j] = gap <= 0.0 ? Double.NEGATIVE_INFINITY
                    : logNFactorial - Gamma.logGamma(j + 1.0) - Gamma.logGamma(n - j + 1.0)
                            + (n - j) * Math.log(gap) + (j - 1) * Math.log(x + (double) j / n);
            max = Math.max(max, logTerms[j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return 0.0; // x = 1: no path reaches that far above the diagonal
        }
        double sum = 0.0;
        for (double logTerm : logTerms) {
            sum += Math.exp(logTerm - max);
        }
        return x * Math.exp(max) * sum;
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
