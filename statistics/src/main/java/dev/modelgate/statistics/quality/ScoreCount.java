package dev.modelgate.statistics.quality;

/** The predictions of one distinct score, labelled or not: what CBPE reads. */
public record ScoreCount(double score, long count) {

    public ScoreCount {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("a calibrated score must be a probability in [0, 1], was " + score);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }
}
