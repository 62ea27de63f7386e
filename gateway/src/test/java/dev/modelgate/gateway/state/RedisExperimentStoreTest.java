package dev.modelgate.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.SpecParser;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' stores on the real Redis of {@code scripts/services.sh} ({@code MODELGATE_REDIS_URL}),
 * under a key prefix of their own. Losing the data is simulated by deleting the prefix's keys (what a
 * restart without persistence leaves), an older snapshot by restoring DUMPs taken earlier, so the shared
 * Redis is never stopped; the end-to-end suite kills a real one.
 */
class RedisExperimentStoreTest {

    private static final String URL = System.getenv().getOrDefault("MODELGATE_REDIS_URL", "redis://127.0.0.1:6379");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String prefix = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Vertx vertx;
    private RedisCommands<String, String> raw;

    @BeforeEach
    void connect() {
        vertx = Vertx.vertx();
        RedisClient client = RedisClient.create(URL);
        StatefulRedisConnection<String, String> connection = client.connect();
        closing.add(client::shutdown);
        closing.add(connection);
        raw = connection.sync();
    }

    @AfterEach
    void close() throws Exception {
        raw.del(keys().toArray(String[]::new));
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoreThatLostItsDataIsRepopulatedBeforeRacingWritesOnBothReplicasAreAccepted() throws Exception {
        RedisExperimentStore a = replica(List.of());
        RedisExperimentStore b = replica(List.of());
        List<Map<String, StoredExperiment>> viewsOfB = new CopyOnWriteArrayList<>();
        b.onChange(() -> viewsOfB.add(b.all()));
        put(a, ab("fraud-ab", "m1"));
        await(() -> b.find("fraud-ab").isPresent());

        raw.del(keys().toArray(String[]::new)); // Redis restarted without persistence
        Future<ChangeOutcome> creation = a.change("new-exp", (current, all) -> Optional.of(created(shadow("new-exp"))));
        Future<ChangeOutcome> deleted = b.change("no-such-experiment", (current, all) -> Optional.empty());

        assertThat(creation.await(10, TimeUnit.SECONDS).before()).isEmpty();
        assertThat(deleted.await(10, TimeUnit.SECONDS).before()).as("nothing to delete").isEmpty();
        assertThat(raw.hkeys(prefix + ":experiments")).containsExactlyInAnyOrder("fraud-ab", "new-exp");
        await(() -> a.all().keySet().equals(Set.of("fraud-ab", "new-exp"))
                && b.all().keySet().equals(Set.of("fraud-ab", "new-exp")));
        assertThat(viewsOfB).as("B never routed without fraud-ab").allSatisfy(view -> assertThat(view).containsKey("fraud-ab"));
    }

    @Test
    void aStoreRestoredFromAnOlderSnapshotGetsTheReplicasNewerExperimentsAndDeletionsBack() throws Exception {
        RedisExperimentStore a = replica(List.of());
        RedisExperimentStore b = replica(List.of());
        put(a, ab("fraud-ab", "m1"));
        put(a, shadow("old-shadow"));
        Map<String, byte[]> snapshot = dump();
        a.update("fraud-ab", e -> e.withSpec(e.spec().withStatus(ExperimentStatus.PAUSED), Instant.now(), "test"))
                .await(10, TimeUnit.SECONDS);
        a.change("old-shadow", (current, all) -> Optional.empty()).await(10, TimeUnit.SECONDS);
        put(b, shadow("new-shadow"));
        await(() -> a.find("new-shadow").isPresent());
        long revision = Long.parseLong(raw.hget(prefix + ":experiments:version", "revision"));

        restore(snapshot);

        await(() -> Long.parseLong(raw.hget(prefix + ":experiments:version", "revision")) > revision);
        assertThat(raw.hkeys(prefix + ":experiments")).containsExactlyInAnyOrder("fraud-ab", "new-shadow");
        RedisExperimentStore late = replica(List.of());
        assertThat(late.find("fraud-ab").orElseThrow().spec().status()).isEqualTo(ExperimentStatus.PAUSED);
        assertThat(late.all().keySet()).containsExactlyInAnyOrder("fraud-ab", "new-shadow");
        for (RedisExperimentStore replica : List.of(a, b)) {
            assertThat(replica.all().keySet()).containsExactlyInAnyOrder("fraud-ab", "new-shadow");
        }
    }

    @Test
    void racingWritesOnTwoReplicasAreEachComputedFromTheLatestStateAndAllSurvive() throws Exception {
        RedisExperimentStore a = replica(List.of());
        RedisExperimentStore b = replica(List.of());
        List<Future<ChangeOutcome>> writes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StoredExperiment onA = created(shadow("a-" + i));
            StoredExperiment onB = created(shadow("b-" + i));
            writes.add(a.change(onA.name(), (current, all) -> Optional.of(onA)));
            writes.add(b.change(onB.name(), (current, all) -> Optional.of(onB)));
        }
        // the rule "one A/B test per model" holds across replicas only if each write sees the other's
        List<Future<ChangeOutcome>> abs = List.of(a.change("ab-a", oneAbPerModel(ab("ab-a", "m1"))),
                b.change("ab-b", oneAbPerModel(ab("ab-b", "m1"))));
        Future.join(writes).await(20, TimeUnit.SECONDS);
        Future.join(abs).otherwiseEmpty().await(20, TimeUnit.SECONDS);

        assertThat(abs.stream().filter(Future::succeeded)).hasSize(1);
        assertThat(abs.stream().filter(Future::failed).map(Future::cause)).singleElement()
                .isInstanceOf(IllegalStateException.class);
        assertThat(raw.hkeys(prefix + ":experiments")).hasSize(21);
        await(() -> a.all().size() == 21 && b.all().size() == 21);
        List<Long> revisions = a.all().values().stream().map(StoredExperiment::revision).sorted().toList();
        assertThat(revisions).as("every write is its own revision of the set").doesNotHaveDuplicates();
        assertThat(Long.parseLong(raw.hget(prefix + ":experiments:version", "revision"))).isEqualTo(revisions.get(20));
    }

    @Test
    void aConfiguredExperimentDeletedOrChangedThroughTheApiStaysSoWhenAReplicaStartsWithItsConfiguration() throws Exception {
        StoredExperiment kept = created(ab("configured-ab", "m1"));
        StoredExperiment removed = created(shadow("configured-shadow"));
        RedisExperimentStore a = replica(List.of(kept, removed));
        a.update("configured-ab", e -> e.withSpec(e.spec().withStatus(ExperimentStatus.PAUSED), Instant.now(), "admin"))
                .await(10, TimeUnit.SECONDS);
        a.change("configured-shadow", (current, all) -> Optional.empty()).await(10, TimeUnit.SECONDS);

        RedisExperimentStore restarted = replica(List.of(kept, removed));

        assertThat(restarted.all().keySet()).containsExactly("configured-ab");
        assertThat(restarted.find("configured-ab").orElseThrow().spec().status()).isEqualTo(ExperimentStatus.PAUSED);
    }

    @Test
    void whileRedisIsUnreachableWritesFailAndTheViewIsKept() throws Exception {
        StoredExperiment seed = created(ab("configured-ab", "m1"));
        RedisConnections nowhere = new RedisConnections("redis://127.0.0.1:1", Duration.ofMillis(500));
        closing.add(nowhere);
        RedisExperimentStore store = RedisExperimentStore.start(nowhere, vertx, prefix, 200, List.of(seed)).await(10, TimeUnit.SECONDS);
        closing.add(store);

        assertThatThrownBy(() -> store.change("other", (current, all) -> Optional.of(created(shadow("other")))).await(10, TimeUnit.SECONDS))
                .isNotInstanceOf(ConcurrentChangeException.class);
        assertThat(store.all().keySet()).containsExactly("configured-ab");
    }

    // --- helpers --------------------------------------------------------------------------------

    private RedisExperimentStore replica(List<StoredExperiment> seeds) throws Exception {
        RedisConnections connections = new RedisConnections(URL, Duration.ofSeconds(1));
        closing.add(connections);
        RedisExperimentStore store = RedisExperimentStore.start(connections, vertx, prefix, 200, seeds).await(10, TimeUnit.SECONDS);
        closing.add(store);
        return store;
    }

    private List<String> keys() {
        return List.of(prefix + ":experiments", prefix + ":experiments:deleted", prefix + ":experiments:version");
    }

    private Map<String, byte[]> dump() {
        Map<String, byte[]> out = new HashMap<>();
        for (String key : keys()) {
            out.put(key, raw.dump(key));
        }
        return out;
    }

    /** Puts every key back as it was (absent ones removed) at once, as a restart from an older RDB file would. */
    private void restore(Map<String, byte[]> snapshot) {
        raw.multi();
        snapshot.forEach((key, value) -> {
            if (value == null) {
                raw.del(key);
            } else {
                raw.restore(key, value, RestoreArgs.Builder.ttl(0).replace());
            }
        });
        assertThat(raw.exec().wasDiscarded()).isFalse();
    }

    private static void put(ExperimentStore store, ExperimentSpec spec) throws Exception {
        store.change(spec.name(), (current, all) -> Optional.of(created(spec))).await(10, TimeUnit.SECONDS);
    }

    private static StoredExperiment created(ExperimentSpec spec) {
        return StoredExperiment.created(spec, Instant.now(), "test");
    }

    private static ExperimentChange oneAbPerModel(AbSpec spec) {
        return (current, all) -> {
            if (all.stream().anyMatch(other -> other.spec() instanceof AbSpec && other.spec().model().equals(spec.model()))) {
                throw new IllegalStateException("model '" + spec.model() + "' already has an A/B test");
            }
            return Optional.of(created(spec));
        };
    }

    private static AbSpec ab(String name, String model) {
        return (AbSpec) SpecParser.parse(Map.of("name", name, "model", model, "kind", "ab", "variants",
                List.of(Map.of("name", "v1", "weight", 50), Map.of("name", "v2", "weight", 50))));
    }

    private static ExperimentSpec shadow(String name) {
        return SpecParser.parse(Map.of("name", name, "model", "m2", "kind", "shadow",
                "primary", "v1", "shadows", List.of("v2"), "sample_rate", 0.1, "max_concurrent", 4));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + WAIT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
