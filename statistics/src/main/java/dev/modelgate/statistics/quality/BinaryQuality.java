package dev.modelgate.statistics.quality;

/**
 * Evaluates a binary classifier from its {@link ScoreTable}.
 *
 * @param threshold rows with {@code score >= threshold} are predicted positive
 * @param calibrationBins equal-width bins of the reliability curve and ECE
 */
public record BinaryQuality(double threshold, int calibrationBins, Confidence confidence, Bootstrap bootstrap) {

    /**
     * Probabilities are clipped to {@code [ε, 1 − ε]} before the logarithm, so a confident mistake
     * costs a large but finite loss (scikit-learn's {@code log_loss} clips the same way).
     */
    public static final double LOG_LOSS_EPSILON = 1e-15;

    public BinaryReport evaluate(ScoreTable table) {
        MeanLoss logLoss = MeanLoss.EMPTY;
        MeanLoss brier = MeanLoss.EMPTY;
        for (int i = 0; i < table.cells(); i++) {
            double p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, table.score(i)));
            logLoss = logLoss.add(table.positives(i), -Math.log(p)).add(table.negatives(i), -Math.log(1 - p));
            brier = brier.add(table.positives(i), square(table.score(i) - 1)).add(table.negatives(i), square(table.score(i)));
        }
        long n = table.n();
        double auc = table.rocAuc();
        MetricEstimate rocAuc = MetricEstimate.normal(auc, Math.sqrt(table.rocAucVariance()), n, confidence.z(), 0, 1);
        Confusion confusion = table.confusion(threshold);
        Calibration calibration = Calibration.of(table, calibrationBins);
        return new BinaryReport(n, table.positives(), threshold, rocAuc,
                bootstrap.interval(table, n, table::resample, ScoreTable::averagePrecision, confidence),
                logLoss.estimate(confidence), brier.estimate(confidence),
                confidence.wilson(confusion.truePositives() + confusion.trueNegatives(), n),
                confidence.wilson(confusion.truePositives(), confusion.truePositives() + confusion.falsePositives()),
                confidence.wilson(confusion.truePositives(), confusion.truePositives() + confusion.falseNegatives()),
                bootstrap.interval(table, n, table::resample, t -> t.confusion(threshold).f1(), confidence),
                bootstrap.interval(table, n, table::resample, t -> Calibration.of(t, calibrationBins).expectedCalibrationError(),
                        confidence),
                calibration.curve(), confusion);
    }

    private static double square(double x) {
        return x * x;
    }
}
