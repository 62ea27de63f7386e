package dev.modelgate.statistics.quality;

/**
 * The labelled rows of one distinct score: what {@code GROUP BY score} over predictions joined to
 * their labels returns. Every binary metric is a function of these cells, so they are exact
 * sufficient statistics, ties included.
 */
public record ScoreCell(double score, long positives, long negatives) {

    public ScoreCell {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, was " + score);
        }
        if (positives < 0 || negatives < 0) {
            throw new IllegalArgumentException("counts must be >= 0, were " + positives + " and " + negatives);
        }
    }

    public long count() {
        return positives + negatives;
    }
}
