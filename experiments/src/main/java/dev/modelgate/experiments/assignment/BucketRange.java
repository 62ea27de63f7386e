package dev.modelgate.experiments.assignment;

/** Buckets {@code [from, to)} served {@code variant}. */
public record BucketRange(String variant, int from, int to) {

    public BucketRange {
        if (from < 0 || to > Bucketer.BUCKETS || from >= to) {
            throw new IllegalArgumentException("bucket range [" + from + ", " + to + ") of " + variant
                    + " must be non-empty and within [0, " + Bucketer.BUCKETS + ")");
        }
    }

    public boolean contains(int bucket) {
        return bucket >= from && bucket < to;
    }

    public int size() {
        return to - from;
    }
}
