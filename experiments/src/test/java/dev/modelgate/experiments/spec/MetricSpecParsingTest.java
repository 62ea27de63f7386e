package dev.modelgate.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.experiments.stats.decision.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MetricSpecParsingTest {

    @Test
    void metricsAreReadWithTheirDefaultsAndWrittenBackInFull() {
        Map<String, Object> tree = ab(list(
                map("name", "converted", "kind", "binary"),
                map("name", "latency", "kind", "continuous", "direction", "lower", "guardrail", true,
                        "source", "latency_ms", "minimum_detectable_effect", 0.1)));

        ExperimentSpec spec = SpecParser.parse(tree);

        assertThat(spec.metrics()).containsExactly(
                MetricSpec.conversion("converted"),
                new MetricSpec("latency", MetricSpec.Kind.CONTINUOUS, Direction.LOWER_IS_BETTER, OptionalDouble.of(0.1),
                        true, MetricSpec.Source.LATENCY_MS));
        Map<String, Object> written = SpecWriter.toMap(spec);
        assertThat(written.get("metrics")).isEqualTo(list(
                map("name", "converted", "kind", "binary", "direction", "higher", "guardrail", false, "source", "feedback"),
                map("name", "latency", "kind", "continuous", "direction", "lower", "minimum_detectable_effect", 0.1,
                        "guardrail", true, "source", "latency_ms")));
        assertThat(SpecParser.parse(written)).isEqualTo(spec);
    }

    @Test
    void specsWithoutMetricsHaveNoneAndWriteNone() {
        ExperimentSpec spec = SpecParser.parse(ab(null));

        assertThat(spec.metrics()).isEmpty();
        assertThat(SpecWriter.toMap(spec)).doesNotContainKey("metrics");
    }

    @Test
    void metricsSurviveAStatusChange() {
        ExperimentSpec spec = SpecParser.parse(ab(list(map("name", "converted", "kind", "binary"))));

        assertThat(spec.withStatus(ExperimentStatus.PAUSED).metrics()).containsExactly(MetricSpec.conversion("converted"));
    }

    @Test
    void badMetricsAreReportedByFieldPath() {
        assertField(list(map("name", "m")), "metrics[0].kind", "is required");
        assertField(list(map("name", "m", "kind", "ratio")), "metrics[0].kind", "[binary, continuous]");
        assertField(list(map("name", "m", "kind", "binary", "direction", "up")), "metrics[0].direction", "[higher, lower]");
        assertField(list(map("name", "m", "kind", "binary", "source", "latency_ms")), "metrics[0].kind", "need source feedback");
        assertField(list(map("name", "m", "kind", "continuous", "minimum_detectable_effect", 0)),
                "metrics[0].minimum_detectable_effect", "non-zero");
        assertField(list(map("name", "m", "kind", "continuous", "guardrail", "yes")), "metrics[0].guardrail", "true or false");
        assertField(list(map("name", "m", "kind", "binary", "mde", 0.1)), "metrics[0].mde", "unknown field");
        assertField(list(map("name", "bad name", "kind", "binary")), "metrics[0].name", "letters, digits");
        assertField(list(map("name", "m", "kind", "binary"), map("name", "m", "kind", "continuous")),
                "metrics[1].name", "duplicate metric 'm'");
        assertField("converted", "metrics", "must be a list");
    }

    private static void assertField(Object metrics, String field, String problem) {
        assertThatThrownBy(() -> SpecParser.parse(ab(metrics)))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.problem()).contains(problem);
                });
    }

    private static Map<String, Object> ab(Object metrics) {
        Map<String, Object> tree = map("kind", "ab", "name", "checkout", "model", "fraud",
                "variants", list(map("name", "control", "weight", 50), map("name", "treatment", "weight", 50)));
        if (metrics != null) {
            tree.put("metrics", metrics);
        }
        return tree;
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }
}
