package dev.modelgate.experiments.stats.power;

import dev.modelgate.experiments.stats.Validate;

/** How long until every variant has the units the plan requires, at the traffic seen now. */
public final class TimeRemaining {

    private TimeRemaining() {
    }

    /**
     * @param requiredPerVariant units each variant needs (from {@link SampleSizeCalculator})
     * @param currentPerVariant  units each variant has now
     * @param dailyPerVariant    units each variant currently receives per day
     * @return days until the slowest variant reaches the requirement; 0 when all have; positive infinity
     *         when a variant that still needs units receives no traffic
     */
    public static double days(long requiredPerVariant, long[] currentPerVariant, double[] dailyPerVariant) {
        Validate.atLeast("requiredPerVariant", requiredPerVariant, 1);
        if (currentPerVariant.length == 0) {
            throw new IllegalArgumentException("currentPerVariant must cover at least one variant");
        }
        if (currentPerVariant.length != dailyPerVariant.length) {
            throw new IllegalArgumentException("dailyPerVariant must have one entry per variant ("
                    + currentPerVariant.length + "), had " + dailyPerVariant.length);
        }
        double days = 0.0;
        for (int i = 0; i < currentPerVariant.length; i++) {
            Validate.atLeast("currentPerVariant[" + i + "]", currentPerVariant[i], 0);
            Validate.nonNegative("dailyPerVariant[" + i + "]", dailyPerVariant[i]);
            long missing = requiredPerVariant - currentPerVariant[i];
            if (missing > 0) {
                days = Math.max(days, dailyPerVariant[i] == 0.0
                        ? Double.POSITIVE_INFINITY
                        : missing / dailyPerVariant[i]);
            }
        }
        return days;
    }
}
