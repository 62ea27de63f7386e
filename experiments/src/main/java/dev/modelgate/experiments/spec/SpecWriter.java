package dev.modelgate.experiments.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a spec back into the tree {@link SpecParser} reads (for the admin API and for storage), with
 * every default written out. Whole numbers come out as {@code Integer}/{@code Long} and the others as
 * {@code Double}, as a JSON parser would produce them, so that {@code parse(toMap(spec))} equals
 * {@code spec} and a parsed tree with defaults spelled out survives the round trip unchanged.
 */
public final class SpecWriter {

    private SpecWriter() {
    }

    public static Map<String, Object> toMap(ExperimentSpec spec) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put(Keys.KIND, spec.kind().wireName());
        tree.put(Keys.NAME, spec.name());
        tree.put(Keys.MODEL, spec.model());
        tree.put(Keys.SALT, spec.salt());
        tree.put(Keys.STATUS, spec.status().name().toLowerCase(Locale.ROOT));
        tree.put(Keys.DEFAULT_VARIANT, spec.defaultVariant());
        // left out when empty, so that specs written before metrics existed read back unchanged
        if (!spec.metrics().isEmpty()) {
            tree.put(Keys.METRICS, spec.metrics().stream().map(SpecWriter::metric).toList());
        }
        if (spec instanceof AbSpec) {
            putAb((AbSpec) spec, tree);
        } else if (spec instanceof CanarySpec) {
            putCanary((CanarySpec) spec, tree);
        } else {
            putShadow((ShadowSpec) spec, tree);
        }
        return tree;
    }

    private static void putAb(AbSpec spec, Map<String, Object> tree) {
        tree.put(Keys.VARIANTS, spec.variants().stream().map(v -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(Keys.NAME, v.name());
            entry.put(Keys.WEIGHT, number(v.weight()));
            return entry;
        }).toList());
        tree.put(Keys.TARGETING, spec.targeting().stream().map(SpecWriter::targetingRule).toList());
        tree.put(Keys.HOLDOUT_PERCENT, number(spec.holdoutPercent()));
    }

    private static Map<String, Object> metric(MetricSpec metric) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(Keys.NAME, metric.name());
        entry.put(Keys.KIND, metric.kind().wireName());
        entry.put(Keys.DIRECTION, SpecParser.directionName(metric.direction()));
        metric.minimumDetectableEffect().ifPresent(mde -> entry.put(Keys.MINIMUM_DETECTABLE_EFFECT, number(mde)));
        entry.put(Keys.GUARDRAIL, metric.guardrail());
        entry.put(Keys.SOURCE, metric.source().wireName());
        return entry;
    }

    private static Map<String, Object> targetingRule(TargetingRule rule) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(Keys.ATTRIBUTE, rule.attribute());
        if (rule.values().size() == 1) {
            entry.put(Keys.EQUALS, rule.values().get(0));
        } else {
            entry.put(Keys.IN, rule.values());
        }
        if (rule.excludes()) {
            entry.put(Keys.EXCLUDE, true);
        } else {
            entry.put(Keys.VARIANT, rule.variant().orElseThrow());
        }
        return entry;
    }

    private static void putCanary(CanarySpec spec, Map<String, Object> tree) {
        tree.put(Keys.BASELINE, spec.baseline());
        tree.put(Keys.CANDIDATE, spec.candidate());
        List<Number> steps = spec.steps().stream().map(SpecWriter::number).toList();
        tree.put(Keys.STEPS, steps);
        tree.put(Keys.MIN_STEP_DURATION_SECONDS, number(spec.minStepDuration().toSeconds()));
        tree.put(Keys.MIN_REQUESTS_PER_STEP, number(spec.minRequestsPerStep()));
        Map<String, Object> gates = new LinkedHashMap<>();
        gates.put(Keys.MAX_ERROR_RATE_INCREASE, number(spec.gates().maxErrorRateIncrease()));
        gates.put(Keys.MAX_P99_LATENCY_RATIO, number(spec.gates().maxP99LatencyRatio()));
        tree.put(Keys.GATES, gates);
    }

    private static void putShadow(ShadowSpec spec, Map<String, Object> tree) {
        tree.put(Keys.PRIMARY, spec.primary());
        tree.put(Keys.SHADOWS, spec.shadows());
        tree.put(Keys.SAMPLE_RATE, number(spec.sampleRate()));
        spec.budget().maxConcurrent().ifPresent(limit -> tree.put(Keys.MAX_CONCURRENT, number(limit)));
        spec.budget().maxPerSecond().ifPresent(limit -> tree.put(Keys.MAX_PER_SECOND, number(limit)));
    }

    private static Number number(double value) {
        if (value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE) {
            return (int) value;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1L << 53) {
            return (long) value;
        }
        return value;
    }
}
