package dev.modelgate.statistics.quality;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Confidence-based performance estimation (CBPE) as NannyML defines it
 * (https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html): if a score
 * {@code p} is calibrated, the row is positive with probability {@code p}, so the expected confusion
 * matrix of a window is {@code E[TP] = Σ_{p ≥ t} p}, {@code E[FP] = Σ_{p ≥ t} (1 − p)},
 * {@code E[FN] = Σ_{p < t} p}, {@code E[TN] = Σ_{p < t} (1 − p)}, and the expected ROC curve sweeps the
 * threshold over the distinct scores with those expected counts (NannyML's {@code estimate_roc_auc}).
 *
 * <p>Assumptions, as NannyML states them: the scores are calibrated on the current data (no concept
 * drift: P(y | x) is what it was when the model was calibrated), and labels are independent given
 * the scores. Covariate shift is allowed, which is what makes the estimate useful before labels arrive.
 *
 * <p>Errors: given the scores, each row's correctness is an independent Bernoulli trial, so the
 * realised accuracy has variance {@code Σ p(1 − p) / n²} (a row is right with probability {@code p} or
 * {@code 1 − p}, whose Bernoulli variance is the same);
 * precision and recall are ratios whose variance follows from the delta method on the expected
 * counts; the AUC's is Hanley and McNeil's (1982) with {@code Σ p} positives and {@code Σ (1 − p)}
 * negatives.
 */
public record ConfidenceBasedEstimation(double threshold, Confidence confidence) {

    public PerformanceEstimate estimate(Collection<ScoreCount> counts) {
        List<ScoreCount> sorted = counts.stream().filter(c -> c.count() > 0)
                .sorted(Comparator.comparingDouble(ScoreCount::score).reversed()).toList();
        long n = 0;
        double tp = 0;
        double fp = 0;
        double fn = 0;
        double tn = 0;
        // Σ c(1 - c) of each confusion cell, for the variances
        double predictedPositiveVariance = 0;
        double predictedNegativeVariance = 0;
        for (ScoreCount cell : sorted) {
            double p = cell.score();
            long c = cell.count();
            n += c;
            if (p >= threshold) {
                tp += c * p;
                fp += c * (1 - p);
                predictedPositiveVariance += c * p * (1 - p);
            } else {
                fn += c * p;
                tn += c * (1 - p);
                predictedNegativeVariance += c * p * (1 - p);
            }
        }
        double z = confidence.z();
        double positives = tp + fn;
        MetricEstimate accuracy = n == 0 ? MetricEstimate.undefined(0)
                : MetricEstimate.normal((tp + tn) / n, Math.sqrt(predictedPositiveVariance + predictedNegativeVariance) / n, n, z, 0, 1);
        // precision = TP / (TP + FP) with TP + FP fixed (the predicted positives are known): Var = Σ p(1-p) / (TP+FP)²
        MetricEstimate precision = tp + fp == 0 ? MetricEstimate.undefined(n)
                : MetricEstimate.normal(tp / (tp + fp), Math.sqrt(predictedPositiveVariance) / (tp + fp), n, z, 0, 1);
        // recall = TP / (TP + FN), TP and FN independent: delta method
        MetricEstimate recall = positives == 0 ? MetricEstimate.undefined(n)
                : MetricEstimate.normal(tp / positives, Math.sqrt(square(fn) * predictedPositiveVariance + square(tp) * predictedNegativeVariance)
                        / square(positives), n, z, 0, 1);
        // F1 = 2TP / (TP + (TP+FP) + FN): delta method with TP, FN independent and TP+FP fixed
        double f1Denominator = positives + tp + fp;
        double f1 = f1Denominator == 0 ? Double.NaN : 2 * tp / f1Denominator;
        double dTp = 2 * (fn + tp + fp) / square(f1Denominator);
        double dFn = -2 * tp / square(f1Denominator);
        MetricEstimate f1Estimate = Double.isNaN(f1) ? MetricEstimate.undefined(n)
                : MetricEstimate.normal(f1, Math.sqrt(square(dTp) * predictedPositiveVariance + square(dFn) * predictedNegativeVariance), n, z, 0, 1);
        double auc = expectedAuc(sorted, positives, n - positives);
        double aucError = Math.sqrt(hanleyMcNeilVariance(auc, positives, n - positives));
        return new PerformanceEstimate(n, positives, MetricEstimate.normal(auc, aucError, n, z, 0, 1), accuracy, precision, recall,
                f1Estimate);
    }

    /** Trapezoids under the expected ROC curve, thresholds at the distinct scores from the highest down. */
    private static double expectedAuc(List<ScoreCount> descending, double positives, double negatives) {
        if (positives <= 0 || negatives <= 0) {
            return Double.NaN;
        }
        double area = 0;
        double tpr = 0;
        double fpr = 0;
        for (ScoreCount cell : descending) {
            double nextTpr = tpr + cell.count() * cell.score() / positives;
            double nextFpr = fpr + cell.count() * (1 - cell.score()) / negatives;
            area += (nextFpr - fpr) * (tpr + nextTpr) / 2;
            tpr = nextTpr;
            fpr = nextFpr;
        }
        return area;
    }

    /** Hanley and McNeil (1982), eq. 2, with Q1 = A / (2 − A) and Q2 = 2A² / (1 + A). */
    static double hanleyMcNeilVariance(double auc, double positives, double negatives) {
        if (Double.isNaN(auc) || positives <= 1 || negatives <= 1) {
            return Double.NaN;
        }
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        return (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
    }

    private static double square(double x) {
        return x * x;
    }
}
