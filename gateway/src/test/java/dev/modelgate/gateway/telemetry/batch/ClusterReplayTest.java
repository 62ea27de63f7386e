package dev.modelgate.gateway.telemetry.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestCluster;
import dev.modelgate.gateway.telemetry.TestEvents;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool and write-ahead-log replay of the single server, on the 2 shards x 2 replicas of
 * {@code scripts/services.sh start cluster}: a batch replayed twice, or one that landed before the
 * crash, is found once through the Distributed table from every node (the other replica of its shard
 * and both nodes of the other shard).
 */
@EnabledIfEnvironmentVariable(named = TestCluster.URL_VARIABLE, matches = ".+")
class ClusterReplayTest {

    private static final ClickHouseSchema SCHEMA = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));
    private static TestCluster cluster;

    @TempDir
    Path dir;

    private final PredictionEventEncoder encoder = new PredictionEventEncoder();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void createTables() throws Exception {
        cluster = TestCluster.empty(Duration.ofSeconds(10));
        SCHEMA.apply(cluster.node(0));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        cluster.close();
    }

    @Test
    void aBatchReplayedTwiceAndOneThatLandedBeforeAreEachFoundOnceFromEveryNode() throws Exception {
        ClickHouseConnection n1 = cluster.node(0);
        String predictions = n1.settings().qualify(PredictionsTable.NAME);
        DiskSpool spool = new DiskSpool(dir.resolve("spool").resolve(predictions), Long.MAX_VALUE);
        // stored by an insert that timed out on the gateway's side, and spooled anyway
        n1.insert(n1.settings().qualify(n1.settings().insertTable(PredictionsTable.NAME)), encoder.format(),
                encode("landed", 0, 40).asInputStream());
        spool.append(predictions, "b-landed", 40, predicate("landed", 0), true, encoder.format(), encode("landed", 0, 40));
        spool.append(predictions, "b-lost", 30, predicate("lost", 0), true, encoder.format(), encode("lost", 0, 30));
        replaySpool(70);
        // the first replay's process died before deleting the file of b-lost: the next one replays it again
        spool.append(predictions, "b-lost", 30, predicate("lost", 0), true, encoder.format(), encode("lost", 0, 30));
        replaySpool(30);

        for (int node = 0; node < TestCluster.NODES; node++) {
            assertThat(rowsAndDistinctIds(node, "landed", 40)).as("landed, from node %d", node + 1).isEqualTo("40/40");
            assertThat(rowsAndDistinctIds(node, "lost", 30)).as("lost, from node %d", node + 1).isEqualTo("30/30");
        }
    }

    @Test
    void theWriteAheadLogOfACrashedRunOnTheOtherShardIsWrittenOnce() throws Exception {
        ClickHouseConnection n3 = cluster.node(2);
        String predictions = n3.settings().qualify(PredictionsTable.NAME);
        // ten rows logged; 0-2 written; 3-5 in flight and stored when the process died; 6-9 never sent
        WriteAheadLog wal = WriteAheadLog.open(dir.resolve("wal").resolve(predictions), 1 << 20);
        WalSegment segment = null;
        for (int i = 0; i < 10; i++) {
            segment = wal.append(predicate("wal", i).getBytes(StandardCharsets.UTF_8), encode("wal", i, i + 1).toByteArray());
        }
        n3.insert(n3.settings().qualify(n3.settings().insertTable(PredictionsTable.NAME)), encoder.format(),
                encode("wal", 0, 6).asInputStream());
        wal.beginAttempt("first", predicate("wal", 0), Map.of(segment, 3));
        wal.completeAttempt(Map.of(segment, 3));
        wal.beginAttempt("second", predicate("wal", 3), Map.of(segment, 3));

        BatchWriter<PredictionEvent> writer = BatchWriter.start(n3, SCHEMA, PredictionEventEncoder::new,
                WriterSettings.defaults(dir.resolve("spool")).withFlushInterval(Duration.ofMillis(50))
                        .withWriteAheadLog(dir.resolve("wal"), Duration.ZERO), registry);
        awaitTrue(() -> registry.get("modelgate.events.recovered").counter().count() == 4);
        writer.close(Duration.ofSeconds(5));

        for (int node = 0; node < TestCluster.NODES; node++) {
            assertThat(rowsAndDistinctIds(node, "wal", 10)).as("from node %d", node + 1).isEqualTo("10/10");
        }
    }

    /** Starts a writer on n1 over the spool and closes it once it has replayed {@code rows} rows. */
    private void replaySpool(int rows) throws Exception {
        MeterRegistry run = new SimpleMeterRegistry();
        BatchWriter<PredictionEvent> writer = BatchWriter.start(cluster.node(0), SCHEMA, PredictionEventEncoder::new,
                WriterSettings.defaults(dir.resolve("spool")).withFlushInterval(Duration.ofMillis(50)), run);
        awaitTrue(() -> run.get("modelgate.events.replayed").tag("table", PredictionsTable.NAME).counter().count() == rows);
        writer.close(Duration.ofSeconds(5));
    }

    /**
     * "rows/distinct event ids" of the prefix through the Distributed table of {@code node}, polled until
     * {@code expected} rows: a node of the written shard reads its own replica, which may still be fetching the part.
     */
    private String rowsAndDistinctIds(int node, String prefix, long expected) throws Exception {
        String select = "SELECT count() AS n, uniqExact(event_id) AS ids FROM " + cluster.database() + "." + PredictionsTable.NAME
                + " WHERE event_id LIKE '" + prefix + "-%'";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode row = cluster.node(node).query(select).get(0);
        while (row.path("n").asLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            row = cluster.node(node).query(select).get(0);
        }
        return row.path("n").asLong() + "/" + row.path("ids").asLong();
    }

    private String predicate(String prefix, int i) {
        return encoder.landedPredicate(TestEvents.event(prefix, i));
    }

    private RowBuffer encode(String prefix, int from, int to) throws IOException {
        RowBuffer buffer = new RowBuffer(1024);
        for (int i = from; i < to; i++) {
            encoder.encode(TestEvents.event(prefix, i), buffer);
        }
        return buffer;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
