package dev.modelgate.statistics.quality;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled scores as cells of distinct scores in ascending order. The ranking metrics here are the
 * exact ones of the row-level definitions: ties between a positive and a negative count one half
 * (ROC AUC), and a threshold sits between distinct scores (average precision), as scikit-learn does.
 */
public final class ScoreTable {

    private final double[] scores;
    private final long[] positives;
    private final long[] negatives;
    private final long totalPositives;
    private final long totalNegatives;

    private ScoreTable(double[] scores, long[] positives, long[] negatives) {
        this.scores = scores;
        this.positives = positives;
        this.negatives = negatives;
        this.totalPositives = Arrays.stream(positives).sum();
        this.totalNegatives = Arrays.stream(negatives).sum();
    }

    /** Cells in any order, duplicates of a score merged. */
    public static ScoreTable of(Collection<ScoreCell> cells) {
        List<ScoreCell> sorted = cells.stream().filter(c -> c.count() > 0).sorted(Comparator.comparingDouble(ScoreCell::score)).toList();
        double[] scores = new double[sorted.size()];
        long[] pos = new long[sorted.size()];
        long[] neg = new long[sorted.size()];
        int k = -1;
        for (ScoreCell cell : sorted) {
            if (k < 0 || scores[k] != cell.score()) {
                k++;
                scores[k] = cell.score();
            }
            pos[k] += cell.positives();
            neg[k] += cell.negatives();
        }
        return new ScoreTable(Arrays.copyOf(scores, k + 1), Arrays.copyOf(pos, k + 1), Arrays.copyOf(neg, k + 1));
    }

    public long positives() {
        return totalPositives;
    }

    public long negatives() {
        return totalNegatives;
    }

    public long n() {
        return totalPositives + totalNegatives;
    }

    int cells() {
        return scores.length;
    }

    double score(int cell) {
        return scores[cell];
    }

    long positives(int cell) {
        return positives[cell];
    }

    long negatives(int cell) {
        return negatives[cell];
    }

    /** ROC AUC = P(score of a positive > score of a negative) + ½ P(tie); NaN without both classes. */
    public double rocAuc() {
        if (totalPositives == 0 || totalNegatives == 0) {
            return Double.NaN;
        }
        double sum = 0;
        long negativesBelow = 0;
        for (int i = 0; i < scores.length; i++) {
            sum += positives[i] * (negativesBelow + 0.5 * negatives[i]);
            negativesBelow += negatives[i];
        }
        return sum / ((double) totalPositives * totalNegatives);
    }

    /**
     * DeLong, DeLong and Clarke-Pearson (1988) variance of the AUC: the structural components
     * (placement values) of the positives and of the negatives, each a per-row value that is the same
     * for every row of a cell, so their sample variances are weighted sums over cells.
     */
    public double rocAucVariance() {
        double auc = rocAuc();
        if (Double.isNaN(auc) || totalPositives < 2 || totalNegatives < 2) {
            return Double.NaN;
        }
        double[] positivePlacement = new double[scores.length];
        long below = 0;
        for (int i = 0; i < scores.length; i++) {
            positivePlacement[i] = (below + 0.5 * negatives[i]) / totalNegatives;
            below += negatives[i];
        }
        double s10 = 0;
        double s01 = 0;
        long above = 0;
        for (int i = scores.length - 1; i >= 0; i--) {
            double negativePlacement = (above + 0.5 * positives[i]) / totalPositives;
            above += positives[i];
            s10 += positives[i] * square(positivePlacement[i] - auc);
            s01 += negatives[i] * square(negativePlacement - auc);
        }
        s10 /= totalPositives - 1;
        s01 /= totalNegatives - 1;
        return s10 / totalPositives + s01 / totalNegatives;
    }

    /**
     * Average precision, {@code Σ (R_k − R_{k−1}) P_k} over the distinct scores from the highest down
     * (scikit-learn's {@code average_precision_score}); NaN without positives.
     */
    public double averagePrecision() {
        if (totalPositives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int i = scores.length - 1; i >= 0; i--) {
            tp += positives[i];
            fp += negatives[i];
            ap += (double) positives[i] / totalPositives * tp / (tp + fp);
        }
        return ap;
    }

    /** Rows with {@code score >= threshold} predicted positive. */
    public Confusion confusion(double threshold) {
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= threshold) {
                tp += positives[i];
                fp += negatives[i];
            }
        }
        return new Confusion(tp, fp, totalNegatives - fp, totalPositives - tp);
    }

    /** The same scores with counts of a bootstrap resample of the rows (multinomial over the cells). */
    ScoreTable resample(SplittableRandom random) {
        long n = n();
        // cumulative row counts: positives of cell i first, then its negatives
        long[] cumulative = new long[2 * scores.length];
        long running = 0;
        for (int i = 0; i < scores.length; i++) {
            running += positives[i];
            cumulative[2 * i] = running;
            running += negatives[i];
            cumulative[2 * i + 1] = running;
        }
        long[] pos = new long[scores.length];
        long[] neg = new long[scores.length];
        for (long draw = 0; draw < n; draw++) {
            long row = random.nextLong(n);
            int slot = Arrays.binarySearch(cumulative, row + 1);
            if (slot < 0) {
                slot = -slot - 1;
            } else {
                // several slots can end at the same row count (empty ones): take the first
                while (slot > 0 && cumulative[slot - 1] == row + 1) {
                    slot--;
                }
            }
            if (slot % 2 == 0) {
                pos[slot / 2]++;
            } else {
                neg[slot / 2]++;
            }
        }
        return new ScoreTable(scores, pos, neg);
    }

    private static double square(double x) {
        return x * x;
    }
}
