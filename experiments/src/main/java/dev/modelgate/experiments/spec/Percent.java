package dev.modelgate.experiments.spec;

/**
 * Percentages in specs have a resolution of one basis point (0.01 %), which is exactly one of the
 * 10,000 assignment buckets; finer weights could not be honoured, so specs reject them.
 */
public final class Percent {

    public static final int BASIS_POINTS_IN_100_PERCENT = 10_000;

    /** Tolerates the binary representation error of decimals such as 33.33, nothing more. */
    private static final double TOLERANCE = 1e-6;

    private Percent() {
    }

    public static int toBasisPoints(double percent) {
        return (int) Math.round(percent * 100.0);
    }

    static boolean isWholeBasisPoints(double percent) {
        double basisPoints = percent * 100.0;
        return Math.abs(basisPoints - Math.rint(basisPoints)) < TOLERANCE;
    }
}
