package dev.modelgate.experiments.stats.srm;

import dev.modelgate.experiments.stats.Validate;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

import java.util.Arrays;

/**
 * Chi-square goodness of fit of assigned units per variant against the configured weights.
 *
 * <p>The alarm threshold is strict ({@code p < 0.001} by default) because the check runs continuously on
 * every experiment; a real SRM is usually extreme and crosses it quickly, while a loose threshold would
 * page on noise.
 */
public final class SampleRatioMismatchTest {

    public static final double DEFAULT_ALARM_THRESHOLD = 0.001;

    private final double alarmThreshold;
    private final ChiSquareTest chiSquare = new ChiSquareTest();

    public SampleRatioMismatchTest() {
        this(DEFAULT_ALARM_THRESHOLD);
    }

    public SampleRatioMismatchTest(double alarmThreshold) {
        this.alarmThreshold = Validate.openUnitInterval("alarmThreshold", alarmThreshold);
    }

    /**
     * @param observedUnits units assigned to each variant
     * @param weights       configured traffic weights in the same order, any positive scale (e.g. 50/50
     *                      or 0.5/0.5); variants configured at weight zero must be left out
     */
    public SrmResult test(long[] observedUnits, double[] weights) {
        if (observedUnits.length != weights.length) {
            throw new IllegalArgumentException("weights must have one entry per variant (" + observedUnits.length
                    + "), had " + weights.length);
        }
        if (observedUnits.length < 2) {
            throw new IllegalArgumentException("observedUnits must cover at least 2 variants, had "
                    + observedUnits.length);
        }
        for (int i = 0; i < weights.length; i++) {
            Validate.positive("weights[" + i + "]", weights[i]);
            Validate.atLeast("observedUnits[" + i + "]", observedUnits[i], 0);
        }
        if (Arrays.stream(observedUnits).sum() == 0) {
            return new SrmResult(0.0, 1.0, true);
        }
        // ChiSquareTest rescales the expected counts to the observed total, so raw weights will do
        double statistic = chiSquare.chiSquare(weights, observedUnits);
        // the survival function Q(k/2, χ²/2); ChiSquareTest.chiSquareTest returns 1 - cdf, which loses relative
        // precision below p ≈ 1e-10 and is exactly 0 past χ² ≈ 75, where the gauge then reads 0
        double pValue = Gamma.regularizedGammaQ((weights.length - 1) / 2.0, statistic / 2.0);
        return new SrmResult(statistic, pValue, pValue >= alarmThreshold);
    }
}
