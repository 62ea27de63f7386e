package dev.modelgate.experiments.spec;

import dev.modelgate.experiments.stats.decision.Direction;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds an {@link ExperimentSpec} from the tree a YAML or JSON parser produces (maps, lists, strings,
 * numbers, booleans) with snake_case keys. Unknown keys are rejected so that a typo such as
 * {@code holdout_pct} fails loudly instead of silently running without a holdout.
 * Defaults: {@code salt} = name, {@code status} = running, {@code default_variant} = first variant (ab),
 * baseline (canary) or primary (shadow); {@code metrics} = none.
 */
public final class SpecParser {

    private SpecParser() {
    }

    /** @throws SpecValidationException naming the first bad field, e.g. {@code variants[1].weight} */
    public static ExperimentSpec parse(Map<String, ?> tree) {
        TreeReader root = new TreeReader(tree, "");
        ExperimentKind kind = ExperimentKind.fromWireName(root.string(Keys.KIND));
        Set<String> kindKeys = switch (kind) {
            case AB -> Keys.AB;
            case CANARY -> Keys.CANARY;
            case SHADOW -> Keys.SHADOW;
        };
        root.rejectUnknownKeys(union(Keys.COMMON, kindKeys), "kind " + kind.wireName());
        return switch (kind) {
            case AB -> ab(root);
            case CANARY -> canary(root);
            case SHADOW -> shadow(root);
        };
    }

    private static AbSpec ab(TreeReader root) {
        List<Variant> variants = root.list(Keys.VARIANTS, (item, path) -> {
            TreeReader entry = TreeReader.asObject(item, path);
            entry.rejectUnknownKeys(Keys.VARIANT_ENTRY, "a variant");
            return new Variant(entry.string(Keys.NAME), entry.number(Keys.WEIGHT));
        });
        if (variants.isEmpty()) {
            throw new SpecValidationException(Keys.VARIANTS, "is required");
        }
        return new AbSpec(meta(root, variants.get(0).name()), variants,
                root.list(Keys.TARGETING, SpecParser::targetingRule),
                root.optionalNumber(Keys.HOLDOUT_PERCENT).orElse(0.0));
    }

    private static TargetingRule targetingRule(Object item, String path) {
        TreeReader entry = TreeReader.asObject(item, path);
        entry.rejectUnknownKeys(Keys.TARGETING_ENTRY, "a targeting rule");
        List<String> values;
        if (entry.has(Keys.EQUALS) == entry.has(Keys.IN)) {
            throw new SpecValidationException(entry.path(Keys.EQUALS), "exactly one of equals or in is required");
        } else if (entry.has(Keys.EQUALS)) {
            values = List.of(entry.string(Keys.EQUALS));
        } else {
            values = entry.list(Keys.IN, TreeReader::asString);
        }
        Optional<String> variant = entry.optionalString(Keys.VARIANT);
        if (variant.isPresent() == entry.flag(Keys.EXCLUDE)) {
            throw new SpecValidationException(entry.path(Keys.VARIANT), "exactly one of variant or exclude: true is required");
        }
        return new TargetingRule(entry.string(Keys.ATTRIBUTE), values, variant);
    }

    private static CanarySpec canary(TreeReader root) {
        String baseline = root.string(Keys.BASELINE);
        List<Double> steps = root.list(Keys.STEPS, TreeReader::asNumber);
        TreeReader gates = root.object(Keys.GATES);
        gates.rejectUnknownKeys(Keys.GATE_ENTRY, "gates");
        HealthGates healthGates;
        try {
            healthGates = new HealthGates(gates.number(Keys.MAX_ERROR_RATE_INCREASE), gates.number(Keys.MAX_P99_LATENCY_RATIO));
        } catch (SpecValidationException e) {
            throw TreeReader.locate(e, Keys.GATES);
        }
        return new CanarySpec(meta(root, baseline), baseline, root.string(Keys.CANDIDATE), steps,
                Duration.ofSeconds(root.wholeNumber(Keys.MIN_STEP_DURATION_SECONDS)),
                root.wholeNumber(Keys.MIN_REQUESTS_PER_STEP), healthGates);
    }

    private static ShadowSpec shadow(TreeReader root) {
        String primary = root.string(Keys.PRIMARY);
        return new ShadowSpec(meta(root, primary), primary,
                root.list(Keys.SHADOWS, TreeReader::asString),
                root.number(Keys.SAMPLE_RATE),
                new ShadowBudget(maxConcurrent(root), root.optionalNumber(Keys.MAX_PER_SECOND)));
    }

    private static OptionalInt maxConcurrent(TreeReader root) {
        OptionalLong value = root.optionalWholeNumber(Keys.MAX_CONCURRENT);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (value.getAsLong() > Integer.MAX_VALUE) {
            throw new SpecValidationException(Keys.MAX_CONCURRENT, "must be at most " + Integer.MAX_VALUE);
        }
        return OptionalInt.of((int) value.getAsLong());
    }

    private static ExperimentMeta meta(TreeReader root, String kindDefaultVariant) {
        String name = root.string(Keys.NAME);
        return new ExperimentMeta(name, root.string(Keys.MODEL),
                root.optionalString(Keys.SALT).orElse(name),
                root.optionalString(Keys.STATUS).map(SpecParser::status).orElse(ExperimentStatus.RUNNING),
                root.optionalString(Keys.DEFAULT_VARIANT).orElse(kindDefaultVariant),
                root.list(Keys.METRICS, SpecParser::metric));
    }

    /** Defaults: direction higher, not a guardrail, source feedback, no minimum detectable effect. */
    private static MetricSpec metric(Object item, String path) {
        TreeReader entry = TreeReader.asObject(item, path);
        entry.rejectUnknownKeys(Keys.METRIC_ENTRY, "a metric");
        String name = entry.string(Keys.NAME);
        MetricSpec.Kind kind = wireEnum(entry, Keys.KIND, MetricSpec.Kind.values(), MetricSpec.Kind::wireName, null);
        Direction direction = wireEnum(entry, Keys.DIRECTION, Direction.values(), SpecParser::directionName,
                Direction.HIGHER_IS_BETTER);
        MetricSpec.Source source = wireEnum(entry, Keys.SOURCE, MetricSpec.Source.values(), MetricSpec.Source::wireName,
                MetricSpec.Source.FEEDBACK);
        return new MetricSpec(name, kind, direction, entry.optionalNumber(Keys.MINIMUM_DETECTABLE_EFFECT),
                entry.flag(Keys.GUARDRAIL), source);
    }

    /** {@code higher} or {@code lower}, as written in specs. */
    static String directionName(Direction direction) {
        return direction == Direction.HIGHER_IS_BETTER ? "higher" : "lower";
    }

    /** Reads one of {@code values} by its wire name; {@code fallback == null} makes the field required. */
    private static <E> E wireEnum(TreeReader entry, String key, E[] values, Function<E, String> wireName, E fallback) {
        Optional<String> written = entry.optionalString(key);
        if (written.isEmpty()) {
            if (fallback == null) {
                throw new SpecValidationException(entry.path(key), "is required");
            }
            return fallback;
        }
        for (E value : values) {
            if (wireName.apply(value).equals(written.get())) {
                return value;
            }
        }
        throw new SpecValidationException(entry.path(key), "must be one of "
                + Arrays.stream(values).map(wireName).toList() + ", got '" + written.get() + "'");
    }

    private static ExperimentStatus status(String value) {
        try {
            return ExperimentStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SpecValidationException(Keys.STATUS, "must be one of "
                    + Arrays.stream(ExperimentStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList()
                    + ", got '" + value + "'");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
