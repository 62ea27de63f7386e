package dev.modelgate.experiments.stats.rank;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Two-sided Mann-Whitney U test, normal approximation with tie correction and continuity correction,
 * matching SciPy's {@code mannwhitneyu(treatment, control, alternative='two-sided', method='asymptotic',
 * use_continuity=True)}.
 *
 * <p>Commons Math 3.6.1's {@code MannWhitneyUTest} uses the same ranking but its normal approximation has
 * neither the tie correction of the variance nor the continuity correction, so its p-values drift from
 * SciPy's (and from the textbook test) on the tied, discrete data typical of product metrics. We reuse
 * its {@link NaturalRanking} and only hand-write the variance and the correction.
 */
public final class MannWhitneyTest {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);

    private final NaturalRanking ranking = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    public MannWhitneyResult test(double[] control, double[] treatment) {
        requireNonEmpty("control", control);
        requireNonEmpty("treatment", treatment);
        int nt = treatment.length;
        int nc = control.length;
        double[] pooled = new double[nt + nc];
        for (int i = 0; i < nt + nc; i++) {
            // "+ 0.0" turns -0.0 into 0.0, which ranking and tie counting would otherwise treat as distinct
            pooled[i] = (i < nt ? treatment[i] : control[i - nt]) + 0.0;
        }
        double[] ranks = ranking.rank(pooled);

        double treatmentRankSum = 0.0;
        for (int i = 0; i < nt; i++) {
            treatmentRankSum += ranks[i];
        }
        double pairs = (double) nt * nc;
        double u = treatmentRankSum - nt * (nt + 1) / 2.0;
        double mean = pairs / 2.0;
        double n = nt + nc;
        double variance = pairs / 12.0 * ((n + 1.0) - tieTerm(pooled) / (n * (n - 1.0)));
        double pValue;
        if (variance == 0.0) {
            // all observations equal: no evidence of any difference
            pValue = 1.0;
        } else {
            double z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
            pValue = Math.min(1.0, 2.0 * STANDARD_NORMAL.cumulativeProbability(-z));
        }
        return new MannWhitneyResult(u, pValue, u / pairs);
    }

    /** {@code sum(t^3 - t)} over groups of tied values. */
    private static double tieTerm(double[] values) {
        Map<Double, Integer> counts = new HashMap<>();
        for (double v : values) {
            counts.merge(v, 1, Integer::sum);
        }
        double term = 0.0;
        for (int t : counts.values()) {
            term += (double) t * t * t - t;
        }
        return term;
    }

    private static void requireNonEmpty(String field, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(field + " must contain at least one observation");
        }
        if (Arrays.stream(values).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException(field + " must contain only finite values");
        }
    }
}
