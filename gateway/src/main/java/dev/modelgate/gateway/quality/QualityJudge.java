package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.statistics.quality.Degradation;
import dev.modelgate.statistics.quality.DegradationTest;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.statistics.quality.Task;
import java.util.Optional;

/**
 * Decides whether a window is worse than the baseline: on the realised alert metric when the window
 * has at least {@code minSamples} labelled rows, else — labels still missing — on its CBPE estimate
 * over the latest predictions, when the metric is one CBPE estimates. Proportions (accuracy,
 * precision, recall) use the pooled two-proportion test on realised values; every other comparison
 * is the z-test on the two estimates' standard errors (DeLong's for the AUC).
 */
final class QualityJudge {

    private final long minSamples;
    private final DegradationTest test;

    QualityJudge(long minSamples, double alpha) {
        this.minSamples = minSamples;
        this.test = new DegradationTest(alpha);
    }

    Judgement judge(String metric, MetricSet realised, Optional<MetricSet> estimatedCurrent, Optional<Baseline> baseline) {
        if (baseline.isEmpty()) {
            return Judgement.unknown(metric, "no baseline: PUT /admin/models/{model}/quality/baseline");
        }
        Optional<MetricEstimate> reference = baseline.get().metrics().metric(metric).filter(e -> Double.isFinite(e.value()));
        if (reference.isEmpty()) {
            return Judgement.unknown(metric, "the baseline has no value for " + metric);
        }
        Optional<MetricEstimate> current = realised.metric(metric);
        if (realised.n() >= minSamples && current.isPresent()) {
            return decide(metric, "realised", realised.n(), compare(metric, reference.get(), current.get(), true));
        }
        Optional<MetricEstimate> estimate = estimatedCurrent.flatMap(e -> e.metric(metric));
        long predictions = estimatedCurrent.map(MetricSet::n).orElse(0L);
        if (estimate.isPresent() && predictions >= minSamples) {
            return decide(metric, "estimated", predictions, compare(metric, reference.get(), estimate.get(), false));
        }
        return Judgement.unknown(metric, "too few labelled rows: " + realised.n() + " < quality.min_samples " + minSamples
                + (Task.ESTIMABLE.contains(metric) && estimatedCurrent.isPresent()
                        ? ", and too few predictions to estimate it: " + predictions : ""));
    }

    private Degradation compare(String metric, MetricEstimate baseline, MetricEstimate current, boolean realised) {
        if (realised && Task.PROPORTIONS.contains(metric)) {
            return test.proportions(Math.round(baseline.value() * baseline.n()), baseline.n(), Math.round(current.value() * current.n()),
                    current.n());
        }
        return test.estimates(baseline, current, Task.higherIsBetter(metric));
    }

    private static Judgement decide(String metric, String source, long n, Degradation degradation) {
        if (Double.isNaN(degradation.pValue())) {
            return new Judgement(metric, source, WindowVerdict.UNKNOWN, Optional.of(degradation), n,
                    metric + " has no standard error in this window or the baseline");
        }
        return new Judgement(metric, source, degradation.degraded() ? WindowVerdict.DRIFT : WindowVerdict.NO_DRIFT,
                Optional.of(degradation), n, "");
    }
}
