package dev.modelgate.gateway.batch.quality;

/**
 * What the whole input holds in one column.
 *
 * @param outOfRange values outside the column's configured range (0 without one)
 */
public record ColumnStats(String column, String type, long rows, long nulls, long nans, long infinite, long outOfRange,
                          double min, double max, double mean) {

    public long missing() {
        return nulls + nans;
    }

    public double missingFraction() {
        return rows == 0 ? 0.0 : (double) missing() / rows;
    }

    public double outOfRangeFraction() {
        return rows == 0 ? 0.0 : (double) outOfRange / rows;
    }
}
