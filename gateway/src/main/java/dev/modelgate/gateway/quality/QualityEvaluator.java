package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.config.QualitySpec;
import dev.modelgate.statistics.quality.BinaryQuality;
import dev.modelgate.statistics.quality.BinaryReport;
import dev.modelgate.statistics.quality.Bootstrap;
import dev.modelgate.statistics.quality.Confidence;
import dev.modelgate.statistics.quality.ConfidenceBasedEstimation;
import dev.modelgate.statistics.quality.MeanLoss;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.MulticlassQuality;
import dev.modelgate.statistics.quality.MulticlassReport;
import dev.modelgate.statistics.quality.PerformanceEstimate;
import dev.modelgate.statistics.quality.RegressionQuality;
import dev.modelgate.statistics.quality.RegressionReport;
import dev.modelgate.statistics.quality.RegressionSums;
import dev.modelgate.statistics.quality.ScoreCell;
import dev.modelgate.statistics.quality.ScoreCount;
import dev.modelgate.statistics.quality.ScoreTable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a window's aggregates into named metrics with the statistics library, for one model's spec. */
final class QualityEvaluator {

    private final QualitySpec spec;
    private final Bootstrap bootstrap;

    QualityEvaluator(QualitySpec spec, int bootstrapReplicates) {
        this.spec = spec;
        this.bootstrap = new Bootstrap(bootstrapReplicates, Bootstrap.DEFAULT.seed());
    }

    MetricSet binary(Collection<ScoreCell> cells) {
        BinaryReport r = new BinaryQuality(spec.threshold(), spec.calibrationBins(), Confidence.NINETY_FIVE, bootstrap)
                .evaluate(ScoreTable.of(cells));
        Map<String, MetricEstimate> m = new LinkedHashMap<>();
        m.put("roc_auc", r.rocAuc());
        m.put("pr_auc", r.prAuc());
        m.put("log_loss", r.logLoss());
        m.put("brier", r.brier());
        m.put("accuracy", r.accuracy());
        m.put("precision", r.precision());
        m.put("recall", r.recall());
        m.put("f1", r.f1());
        m.put("ece", r.expectedCalibrationError());
        return new MetricSet(r.n(), m, r.reliability());
    }

    MetricSet multiclass(long[][] confusion, MeanLoss logLoss) {
        MulticlassReport r = new MulticlassQuality(Confidence.NINETY_FIVE, bootstrap).evaluate(confusion, logLoss);
        Map<String, MetricEstimate> m = new LinkedHashMap<>();
        m.put("accuracy", r.accuracy());
        m.put("macro_f1", r.macroF1());
        m.put("log_loss", r.logLoss());
        return new MetricSet(r.n(), m, List.of());
    }

    MetricSet regression(RegressionSums sums) {
        RegressionReport r = new RegressionQuality(Confidence.NINETY_FIVE).evaluate(sums);
        Map<String, MetricEstimate> m = new LinkedHashMap<>();
        m.put("mae", r.mae());
        m.put("rmse", r.rmse());
        m.put("mape", r.mape());
        m.put("r2", r.r2());
        return new MetricSet(r.n(), m, List.of());
    }

    /** CBPE from the window's score distribution (binary classification only). */
    MetricSet estimate(Collection<ScoreCount> counts) {
        PerformanceEstimate e = new ConfidenceBasedEstimation(spec.threshold(), Confidence.NINETY_FIVE).estimate(counts);
        Map<String, MetricEstimate> m = new LinkedHashMap<>();
        m.put("roc_auc", e.rocAuc());
        m.put("accuracy", e.accuracy());
        m.put("precision", e.precision());
        m.put("recall", e.recall());
        m.put("f1", e.f1());
        return new MetricSet(e.n(), m, List.of());
    }
}
