package dev.modelgate.statistics.quality;

/** A binary confusion matrix at one threshold. */
public record Confusion(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    public long n() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** F1 = 2TP / (2TP + FP + FN); NaN when there is neither a positive nor a predicted positive. */
    public double f1() {
        long denominator = 2 * truePositives + falsePositives + falseNegatives;
        return denominator == 0 ? Double.NaN : 2.0 * truePositives / denominator;
    }
}
