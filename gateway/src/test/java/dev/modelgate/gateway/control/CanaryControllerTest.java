package dev.modelgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.state.LeaderLease;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.ExperimentDecision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The controller's pass over the canaries, on the single-node store and this replica's own counters. */
class CanaryControllerTest {

    @Test
    void aRolledBackCanaryKeepsItsRollbackAsLastDecision() throws Exception {
        Instant start = Instant.now().minusSeconds(600);
        StoredExperiment created = StoredExperiment.created(SpecParser.parse(Map.of("name", "canary", "model", "m", "kind", "canary",
                "baseline", "v1", "candidate", "v2", "steps", List.of(10, 100), "min_step_duration_seconds", 1,
                "min_requests_per_step", 1, "gates", Map.of("max_error_rate_increase", 1, "max_p99_latency_ratio", 2))), start, "t");
        StoredExperiment.DecisionSummary rollback = new StoredExperiment.DecisionSummary("rollback", "candidate errors", start);
        StoredExperiment rolledBack = created.withCanary(created.canary().orElseThrow().rollback(start), start, "t", rollback);
        InMemoryExperimentStore store = new InMemoryExperimentStore(List.of(rolledBack));
        List<ExperimentDecision> recorded = new CopyOnWriteArrayList<>();
        Vertx vertx = Vertx.vertx();
        try (CanaryController controller = new CanaryController(vertx, store, LeaderLease.ALWAYS,
                new CanaryWindows(Optional.empty(), new LocalVariantStats()), new DecisionRecorder(recorded::add, "test"),
                Duration.ofHours(1), new SimpleMeterRegistry())) {
            controller.evaluateAll();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }

        assertThat(store.find("canary").orElseThrow().lastDecision()).contains(rollback);
        assertThat(recorded).as("nothing decided about a finished canary").isEmpty();
    }
}
