package dev.modelgate.experiments.canary;

import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.stats.SampleStatistics;
import dev.modelgate.experiments.stats.sequential.AsymptoticConfidenceSequence;
import dev.modelgate.experiments.stats.sequential.SequentialResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tests every guardrail metric of a canary with an always-valid confidence sequence, so the controller may
 * read it at every evaluation without inflating false rollbacks.
 *
 * <p>With {@code k} guardrails each is tested at {@code alpha / k} (Bonferroni). For the only event that
 * matters here, "some guardrail rolls the canary back", this is exactly Holm's first step, so the chance
 * that a step whose candidate is no worse on any guardrail is ever rolled back by them stays below
 * {@code alpha}, however often the step is peeked at. Each step starts a new sequence (its units are those
 * first exposed in the step), so over {@code s} steps the bound is {@code s · alpha}.
 */
final class GuardrailGate {

    private final double alpha;

    GuardrailGate(double alpha) {
        this.alpha = alpha;
    }

    /**
     * @param guardrails the spec's guardrail metrics
     * @param windows    what was read for them; a guardrail without a window is {@link GuardrailVerdict#UNAVAILABLE}
     * @throws IllegalArgumentException for a window of a metric that is not one of the guardrails, or two windows of one metric
     */
    List<GuardrailCheck> check(List<MetricSpec> guardrails, List<GuardrailWindow> windows) {
        Map<String, GuardrailWindow> byMetric = byMetric(guardrails, windows);
        if (guardrails.isEmpty()) {
            return List.of();
        }
        double level = alpha / guardrails.size();
        AsymptoticConfidenceSequence sequence = new AsymptoticConfidenceSequence(level);
        List<GuardrailCheck> checks = new ArrayList<>();
        for (MetricSpec metric : guardrails) {
            Optional<GuardrailWindow> window = Optional.ofNullable(byMetric.get(metric.name()));
            checks.add(new GuardrailCheck(metric, window, window.flatMap(w -> test(metric, w, sequence)), level));
        }
        return List.copyOf(checks);
    }

    private static Map<String, GuardrailWindow> byMetric(List<MetricSpec> guardrails, List<GuardrailWindow> windows) {
        Set<String> names = guardrails.stream().map(MetricSpec::name).collect(Collectors.toSet());
        Map<String, GuardrailWindow> byMetric = new HashMap<>();
        for (GuardrailWindow window : windows) {
            if (!names.contains(window.metric())) {
                throw new IllegalArgumentException("window of metric '" + window.metric()
                        + "', which is not a guardrail of the canary; guardrails: " + names);
            }
            if (byMetric.put(window.metric(), window) != null) {
                throw new IllegalArgumentException("two windows of guardrail metric '" + window.metric() + "'");
            }
        }
        return byMetric;
    }

    private static Optional<SequentialResult> test(MetricSpec metric, GuardrailWindow window, AsymptoticConfidenceSequence sequence) {
        Optional<SampleStatistics> baseline = window.baseline().summary(metric.kind());
        Optional<SampleStatistics> candidate = window.candidate().summary(metric.kind());
        if (baseline.isEmpty() || candidate.isEmpty()) {
            return Optional.empty();
        }
        // Both arms constant: the plug-in variance is zero and the asymptotic sequence would call any
        // difference certain, even between two units. No test is defined (as in the experiment analyzer).
        if (baseline.get().varianceOfMean() == 0.0 && candidate.get().varianceOfMean() == 0.0) {
            return Optional.empty();
        }
        return Optional.of(sequence.test(baseline.get(), candidate.get()));
    }
}
