package dev.modelgate.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.gateway.state.StoredExperiment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which experiment routes a model when a finished canary and the routing experiment that replaced it are both stored. */
class ExperimentRoutingTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anExperimentCreatedAfterACanaryFinishedRoutesTheModelWhateverTheOrderTheyAreListedIn() {
        StoredExperiment canary = StoredExperiment.created(SpecParser.parse(Map.of("name", "canary", "model", "m", "kind", "canary",
                "baseline", "v1", "candidate", "v2", "steps", List.of(10, 100), "min_step_duration_seconds", 1,
                "min_requests_per_step", 1, "gates", Map.of("max_error_rate_increase", 1, "max_p99_latency_ratio", 2))), START, "t");
        StoredExperiment promoted = canary.withCanary(canary.canary().orElseThrow().promote(START.plusSeconds(60)),
                START.plusSeconds(60), "t", new StoredExperiment.DecisionSummary("promote", "manual", START.plusSeconds(60)));
        // created before the canary's last change, so only being in force can make it win
        StoredExperiment ab = StoredExperiment.created(SpecParser.parse(Map.of("name", "ab", "model", "m", "kind", "ab",
                "variants", List.of(Map.of("name", "v1", "weight", 50), Map.of("name", "v2", "weight", 50)))), START.plusSeconds(30), "t");

        for (List<StoredExperiment> stored : List.of(List.of(promoted, ab), List.of(ab, promoted))) {
            assertThat(ExperimentRouting.compile(stored, new Random(1), Map.of()).forModel("m").primary().orElseThrow().name())
                    .isEqualTo("ab");
        }
        assertThat(ExperimentRouting.compile(List.of(promoted), new Random(1), Map.of()).forModel("m").primary()
                .orElseThrow().name()).as("alone, a promoted canary keeps routing").isEqualTo("canary");
    }
}
