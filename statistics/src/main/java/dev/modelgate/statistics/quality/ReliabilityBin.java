package dev.modelgate.statistics.quality;

/**
 * One non-empty bin of a reliability curve: scores in {@code (lower, upper]} (the first bin also
 * holds {@code lower}), their mean, and the share of them that were positive.
 */
public record ReliabilityBin(double lower, double upper, long count, double meanScore, double fractionPositive) {
}
