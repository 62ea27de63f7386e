package dev.modelgate.statistics.quality;

import java.util.SplittableRandom;

/**
 * Evaluates a multiclass classifier from its confusion matrix ({@code counts[true][predicted]}) and
 * the sums of {@code −log p(true class)}.
 *
 * <p>Macro F1 averages the per-class F1 {@code 2TP / (2TP + FP + FN)} over the classes that occur as a
 * label or a prediction, as scikit-learn's {@code f1_score(average="macro")} does.
 */
public record MulticlassQuality(Confidence confidence, Bootstrap bootstrap) {

    public MulticlassReport evaluate(long[][] counts, MeanLoss logLoss) {
        int k = counts.length;
        long n = 0;
        long correct = 0;
        for (int t = 0; t < k; t++) {
            if (counts[t].length != k) {
                throw new IllegalArgumentException("the confusion matrix must be square, row " + t + " has " + counts[t].length
                        + " cells for " + k + " classes");
            }
            for (int p = 0; p < k; p++) {
                n += counts[t][p];
            }
            correct += counts[t][t];
        }
        long total = n;
        return new MulticlassReport(n, k, confidence.wilson(correct, n),
                bootstrap.interval(counts, n, random -> resample(counts, total, random), MulticlassQuality::macroF1, confidence),
                logLoss.estimate(confidence));
    }

    static double macroF1(long[][] counts) {
        int k = counts.length;
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long tp = counts[c][c];
            long fn = 0;
            long fp = 0;
            for (int o = 0; o < k; o++) {
                if (o != c) {
                    fn += counts[c][o];
                    fp += counts[o][c];
                }
            }
            long denominator = 2 * tp + fp + fn;
            if (denominator > 0) {
                sum += 2.0 * tp / denominator;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** A bootstrap resample of the rows: n draws from the cells, each with its share of the rows. */
    private static long[][] resample(long[][] counts, long n, SplittableRandom random) {
        int k = counts.length;
        long[] cumulative = new long[k * k];
        long running = 0;
        for (int i = 0; i < k * k; i++) {
            running += counts[i / k][i % k];
            cumulative[i] = running;
        }
        long[][] drawn = new long[k][k];
        for (long d = 0; d < n; d++) {
            long row = random.nextLong(n);
            int cell = 0;
            while (cumulative[cell] <= row) {
                cell++;
            }
            drawn[cell / k][cell % k]++;
        }
        return drawn;
    }
}
