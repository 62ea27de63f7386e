package dev.modelgate.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecParserTest {

    @Test
    void abSpecGetsItsDefaults() {
        Map<String, Object> tree = map("kind", "ab", "name", "checkout", "model", "fraud",
                "variants", list(map("name", "control", "weight", 50), map("name", "treatment", "weight", 50)));

        AbSpec spec = (AbSpec) SpecParser.parse(tree);

        assertThat(spec.meta()).isEqualTo(new ExperimentMeta("checkout", "fraud", "checkout", ExperimentStatus.RUNNING, "control"));
        assertThat(spec.variants()).containsExactly(new Variant("control", 50), new Variant("treatment", 50));
        assertThat(spec.targeting()).isEmpty();
        assertThat(spec.holdoutPercent()).isZero();
    }

    @Test
    void canaryAndShadowDefaultToBaselineAndPrimary() {
        assertThat(SpecParser.parse(canaryTree()).defaultVariant()).isEqualTo("v1");
        assertThat(SpecParser.parse(shadowTree()).defaultVariant()).isEqualTo("v1");
    }

    @Test
    void fullAbTreeRoundTrips() {
        Map<String, Object> tree = abTree();
        tree.put("salt", "checkout-2024");
        tree.put("status", "paused");
        tree.put("default_variant", "treatment");
        tree.put("holdout_percent", 2.5);
        tree.put("targeting", list(
                map("attribute", "x-tier", "equals", "internal", "exclude", true),
                map("attribute", "country", "in", list("DE", "AT"), "variant", "treatment")));

        ExperimentSpec spec = SpecParser.parse(tree);

        assertThat(spec).isEqualTo(new AbSpec(
                new ExperimentMeta("checkout", "fraud", "checkout-2024", ExperimentStatus.PAUSED, "treatment"),
                List.of(new Variant("control", 33.33), new Variant("treatment", 66.67)),
                List.of(TargetingRule.exclude("x-tier", List.of("internal")),
                        TargetingRule.route("country", List.of("DE", "AT"), "treatment")),
                2.5));
        assertThat(SpecWriter.toMap(spec)).isEqualTo(tree);
        assertThat(SpecParser.parse(SpecWriter.toMap(spec))).isEqualTo(spec);
    }

    @Test
    void fullCanaryTreeRoundTrips() {
        Map<String, Object> tree = withDefaults(canaryTree(), "v1");

        ExperimentSpec spec = SpecParser.parse(tree);

        assertThat(spec).isEqualTo(new CanarySpec(ExperimentMeta.running("rollout", "fraud", "v1"), "v1", "v2",
                List.of(1.5, 25.0, 50.0, 100.0), Duration.ofSeconds(300), 1000, new HealthGates(0.5, 1.25)));
        assertThat(SpecWriter.toMap(spec)).isEqualTo(tree);
        assertThat(SpecParser.parse(SpecWriter.toMap(spec))).isEqualTo(spec);
    }

    @Test
    void fullShadowTreeRoundTrips() {
        Map<String, Object> tree = withDefaults(shadowTree(), "v1");
        tree.put("max_per_second", 12.5);

        ExperimentSpec spec = SpecParser.parse(tree);

        assertThat(spec).isEqualTo(new ShadowSpec(ExperimentMeta.running("mirror", "fraud", "v1"), "v1", List.of("v2", "v3"),
                0.1, new ShadowBudget(OptionalInt.of(8), OptionalDouble.of(12.5))));
        assertThat(SpecWriter.toMap(spec)).isEqualTo(tree);
        assertThat(SpecParser.parse(SpecWriter.toMap(spec))).isEqualTo(spec);
    }

    @Test
    void statusIsReadCaseInsensitivelyAndCanBeChangedWithoutTouchingTheRest() {
        Map<String, Object> tree = abTree();
        tree.put("status", "COMPLETED");

        ExperimentSpec spec = SpecParser.parse(tree);

        assertThat(spec.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(spec.withStatus(ExperimentStatus.RUNNING)).isEqualTo(SpecParser.parse(abTree()));
    }

    static Stream<Arguments> invalidTrees() {
        return Stream.of(
                bad(abTree(), t -> t.remove("name"), "name", "is required"),
                bad(abTree(), t -> t.put("kind", "abc"), "kind", "must be one of [ab, canary, shadow], got 'abc'"),
                bad(abTree(), t -> t.put("holdout_pct", 5), "holdout_pct", "unknown field for kind ab"),
                bad(abTree(), t -> t.put("status", "stopped"), "status", "must be one of [running, paused, completed], got 'stopped'"),
                bad(abTree(), t -> t.put("model", "fraud model"), "model", "'fraud model' must be 1-64 characters"),
                bad(abTree(), t -> variant(t, 1).put("weight", 120), "variants[1].weight", "must be in [0, 100], got 120"),
                bad(abTree(), t -> variant(t, 1).put("weight", "50"), "variants[1].weight", "must be a number, got string '50'"),
                bad(abTree(), t -> variant(t, 0).put("weight", 33.333), "variants[0].weight", "must be a multiple of 0.01"),
                bad(abTree(), t -> variant(t, 0).put("colour", "red"), "variants[0].colour", "unknown field for a variant"),
                bad(abTree(), t -> variant(t, 0).put("name", "bad name"), "variants[0].name", "'bad name' must be 1-64 characters"),
                bad(abTree(), t -> variant(t, 1).put("name", "control"), "variants[1].name", "duplicate variant 'control'"),
                bad(abTree(), t -> variant(t, 1).put("weight", 56.67), "variants", "weights must sum to 100, got 90"),
                bad(abTree(), t -> t.put("variants", list(map("name", "solo", "weight", 100))), "variants", "must have at least 2 variants, got 1"),
                bad(abTree(), t -> t.put("variants", "control"), "variants", "must be a list, got string 'control'"),
                bad(abTree(), t -> t.put("default_variant", "nope"), "default_variant", "'nope' is not one of [control, treatment]"),
                bad(abTree(), t -> t.put("holdout_percent", 100), "holdout_percent", "must be below 100, got 100"),
                bad(abTree(), t -> t.put("holdout_percent", -1), "holdout_percent", "must be in [0, 100], got -1"),
                bad(abTree(), t -> t.put("targeting", list(map("attribute", "a", "equals", "x", "variant", "v9"))),
                        "targeting[0].variant", "'v9' is not one of [control, treatment]"),
                bad(abTree(), t -> t.put("targeting", list(map("attribute", "a", "equals", "x", "in", list("y"), "exclude", true))),
                        "targeting[0].equals", "exactly one of equals or in is required"),
                bad(abTree(), t -> t.put("targeting", list(map("attribute", "a", "equals", "x"))),
                        "targeting[0].variant", "exactly one of variant or exclude: true is required"),
                bad(abTree(), t -> t.put("targeting", list(map("attribute", "a", "in", list("x", 3), "exclude", true))),
                        "targeting[0].in[1]", "must be a string, got integer '3'"),
                bad(abTree(), t -> t.put("targeting", list(map("attribute", " ", "equals", "x", "exclude", true))),
                        "targeting[0].attribute", "must not be blank"),
                bad(canaryTree(), t -> t.put("steps", list(5, 25, 20, 100)), "steps[2]", "must be greater than the previous step 25"),
                bad(canaryTree(), t -> t.put("steps", list(5, 50)), "steps[1]", "the last step must be 100, got 50"),
                bad(canaryTree(), t -> t.put("steps", list(100)), "steps", "must have at least one step below 100"),
                bad(canaryTree(), t -> t.put("steps", list(0, 100)), "steps[0]", "must be greater than the previous step 0"),
                bad(canaryTree(), t -> t.put("candidate", "v1"), "candidate", "must differ from the baseline 'v1'"),
                bad(canaryTree(), t -> t.remove("gates"), "gates", "is required"),
                bad(canaryTree(), t -> gates(t).put("max_p99_latency_ratio", 0.5),
                        "gates.max_p99_latency_ratio", "must be a finite ratio of at least 1, got 0.5"),
                bad(canaryTree(), t -> gates(t).put("max_error_rate_increase", -0.1),
                        "gates.max_error_rate_increase", "must be in [0, 100] percentage points, got -0.1"),
                bad(canaryTree(), t -> gates(t).remove("max_error_rate_increase"), "gates.max_error_rate_increase", "is required"),
                bad(canaryTree(), t -> t.put("min_requests_per_step", 0), "min_requests_per_step", "must be at least 1, got 0"),
                bad(canaryTree(), t -> t.put("min_step_duration_seconds", 1.5), "min_step_duration_seconds", "must be a whole number, got 1.5"),
                bad(canaryTree(), t -> t.put("min_step_duration_seconds", -60), "min_step_duration_seconds", "must not be negative, got -60"),
                bad(canaryTree(), t -> t.put("default_variant", "v3"), "default_variant", "'v3' is not one of [v1, v2]"),
                bad(canaryTree(), t -> t.put("variants", list()), "variants", "unknown field for kind canary"),
                bad(shadowTree(), t -> t.put("sample_rate", 1.5), "sample_rate", "must be in [0, 1], got 1.5"),
                bad(shadowTree(), t -> t.put("shadows", list("v2", "v1")), "shadows[1]", "must differ from the primary 'v1'"),
                bad(shadowTree(), t -> t.put("shadows", list("v2", "v2")), "shadows[1]", "duplicate variant 'v2'"),
                bad(shadowTree(), t -> t.put("shadows", list()), "shadows", "must list at least one shadow variant"),
                bad(shadowTree(), t -> t.remove("max_concurrent"), "max_concurrent", "max_concurrent or max_per_second (or both) is required"),
                bad(shadowTree(), t -> t.put("max_concurrent", 0), "max_concurrent", "must be at least 1, got 0"),
                bad(shadowTree(), t -> t.put("max_per_second", 0), "max_per_second", "must be a positive finite rate, got 0.0"),
                bad(shadowTree(), t -> t.put("default_variant", "v2"), "default_variant", "must be the primary 'v1', got 'v2'"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("invalidTrees")
    void invalidFieldsAreNamedByTheirPath(Map<String, Object> tree, String field, String problem) {
        assertThatThrownBy(() -> SpecParser.parse(tree))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ").contains(problem);
                });
    }

    @Test
    void recordsBuiltInJavaAreValidatedToo() {
        ExperimentMeta meta = ExperimentMeta.running("exp", "model", "a");
        assertThatThrownBy(() -> new AbSpec(meta, List.of(new Variant("a", 60), new Variant("b", 60)), List.of(), 0))
                .hasMessage("variants: weights must sum to 100, got 120");
        assertThatThrownBy(() -> new Variant("a", Double.NaN)).hasMessageStartingWith("weight: must be in [0, 100]");
    }

    private static Arguments bad(Map<String, Object> tree, Consumer<Map<String, Object>> mutation, String field, String problem) {
        mutation.accept(tree);
        return Arguments.of(tree, field, problem);
    }

    private static Map<String, Object> abTree() {
        return map("kind", "ab", "name", "checkout", "model", "fraud",
                "variants", list(map("name", "control", "weight", 33.33), map("name", "treatment", "weight", 66.67)));
    }

    private static Map<String, Object> canaryTree() {
        return map("kind", "canary", "name", "rollout", "model", "fraud", "baseline", "v1", "candidate", "v2",
                "steps", list(1.5, 25, 50, 100), "min_step_duration_seconds", 300, "min_requests_per_step", 1000,
                "gates", map("max_error_rate_increase", 0.5, "max_p99_latency_ratio", 1.25));
    }

    private static Map<String, Object> shadowTree() {
        return map("kind", "shadow", "name", "mirror", "model", "fraud", "primary", "v1", "shadows", list("v2", "v3"),
                "sample_rate", 0.1, "max_concurrent", 8);
    }

    /** The tree as the writer produces it: defaults spelled out. */
    private static Map<String, Object> withDefaults(Map<String, Object> tree, String defaultVariant) {
        tree.put("salt", tree.get("name"));
        tree.put("status", "running");
        tree.put("default_variant", defaultVariant);
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variant(Map<String, Object> tree, int index) {
        return ((List<Map<String, Object>>) tree.get("variants")).get(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gates(Map<String, Object> tree) {
        return (Map<String, Object>) tree.get("gates");
    }

    /** A mutable map, as a JSON/YAML parser returns. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(List.of(items));
    }
}
