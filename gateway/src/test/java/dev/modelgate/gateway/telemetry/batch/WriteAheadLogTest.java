package dev.modelgate.gateway.telemetry.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.TestEvents;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crashed run leaves in the write-ahead log is written exactly once by the next one. The
 * crash is staged with the log's own API (records appended, a checkpoint naming the batch that was in
 * flight), then a writer starts on the same folders against the real ClickHouse.
 */
class WriteAheadLogTest {

    private static final ClickHouseSchema SCHEMA = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));
    private static TestClickHouse clickHouse;

    @TempDir
    Path dir;

    private final PredictionEventEncoder encoder = new PredictionEventEncoder();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void createTable() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @Test
    void aBatchInFlightThatLandedIsNotWrittenAgainAndRowsNeverSentAre() throws Exception {
        WalSegment segment = crashedRun("landed", true);

        BatchWriter<PredictionEvent> writer = startWriter();
        awaitRows("landed", 10);
        writer.close(Duration.ofSeconds(5));

        assertThat(distinctEventIds("landed")).isEqualTo(10);
        assertThat(registry.get("modelgate.events.recovered").counter().count()).isEqualTo(4);
        assertThat(Files.exists(dir.resolve("wal").resolve(clickHouse.predictions()).resolve(segment.name())))
                .as("a segment is deleted once all of it is in ClickHouse").isFalse();
    }

    @Test
    void aBatchInFlightThatNeverLandedIsWrittenOnce() throws Exception {
        crashedRun("lost", false);

        BatchWriter<PredictionEvent> writer = startWriter();
        awaitRows("lost", 10);
        writer.close(Duration.ofSeconds(5));

        assertThat(distinctEventIds("lost")).isEqualTo(10);
    }

    @Test
    void everyAcceptedEventIsInTheLogUntilItIsWrittenAndNoFileOutlivesAFlush() throws Exception {
        BatchWriter<PredictionEvent> writer = startWriter(WriterSettings.defaults(dir.resolve("spool"))
                .withFlushInterval(Duration.ofMinutes(1)).withWriteAheadLog(dir.resolve("wal"), Duration.ZERO));
        for (int i = 0; i < 25; i++) {
            assertThat(writer.offer(TestEvents.event("logged", i))).isTrue();
        }
        Path tableLog = dir.resolve("wal").resolve(clickHouse.predictions());
        List<WalSegment.Record> logged = WalSegment.read(walFiles(tableLog).get(0));
        assertThat(logged).hasSize(25);
        assertThat(logged.get(0).landedPredicate()).isEqualTo(encoder.landedPredicate(TestEvents.event("logged", 0)));

        writer.close(Duration.ofSeconds(5));

        assertThat(clickHouse.count("event_id LIKE 'logged-%'")).isEqualTo(25);
        assertThat(walFiles(tableLog)).isEmpty();
    }

    @Test
    void aSecondWriterOnTheSameFoldersIsRefusedUntilTheFirstHasClosed() throws Exception {
        BatchWriter<PredictionEvent> first = startWriter();

        assertThatThrownBy(this::startWriter).isInstanceOf(IOException.class).hasMessageContaining("in use by another writer");
        first.close(Duration.ofSeconds(5));
        startWriter().close(Duration.ofSeconds(5));
    }

    /**
     * Ten rows were logged; rows 0-2 were written; the batch of rows 3-5 was being written when the
     * process died (and reached ClickHouse if {@code inFlightLanded}); rows 6-9 were never sent.
     */
    private WalSegment crashedRun(String prefix, boolean inFlightLanded) throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir.resolve("wal").resolve(clickHouse.predictions()), 1 << 20);
        WalSegment segment = null;
        for (int i = 0; i < 10; i++) {
            segment = wal.append(predicate(prefix, i), row(prefix, i));
        }
        insert(prefix, 0, inFlightLanded ? 6 : 3);
        wal.beginAttempt("first", new String(predicate(prefix, 0), StandardCharsets.UTF_8), Map.of(segment, 3));
        wal.completeAttempt(Map.of(segment, 3));
        wal.beginAttempt("second", new String(predicate(prefix, 3), StandardCharsets.UTF_8), Map.of(segment, 3));
        return segment;
    }

    private BatchWriter<PredictionEvent> startWriter() throws IOException {
        return startWriter(WriterSettings.defaults(dir.resolve("spool")).withFlushInterval(Duration.ofMillis(50))
                .withWriteAheadLog(dir.resolve("wal"), Duration.ZERO));
    }

    private BatchWriter<PredictionEvent> startWriter(WriterSettings settings) throws IOException {
        return BatchWriter.start(clickHouse.connection(), SCHEMA, PredictionEventEncoder::new, settings, registry);
    }

    private byte[] predicate(String prefix, int i) {
        return encoder.landedPredicate(TestEvents.event(prefix, i)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] row(String prefix, int i) throws IOException {
        RowBuffer out = new RowBuffer(1024);
        encoder.encode(TestEvents.event(prefix, i), out);
        return out.toByteArray();
    }

    private void insert(String prefix, int from, int to) throws Exception {
        RowBuffer rows = new RowBuffer(1024);
        for (int i = from; i < to; i++) {
            rows.write(row(prefix, i));
        }
        clickHouse.connection().insert(clickHouse.predictions(), encoder.format(), rows.asInputStream());
    }

    private static long distinctEventIds(String prefix) throws Exception {
        return clickHouse.query("SELECT uniqExact(event_id) AS n FROM " + clickHouse.predictions()
                + " WHERE event_id LIKE '" + prefix + "-%'").get(0).path("n").asLong();
    }

    private static void awaitRows(String prefix, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (clickHouse.count("event_id LIKE '" + prefix + "-%'") < expected) {
            assertThat(System.nanoTime()).as("%d rows within 10 s", expected).isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(300); // a duplicate would arrive right behind
        assertThat(clickHouse.count("event_id LIKE '" + prefix + "-%'")).isEqualTo(expected);
    }

    private static List<Path> walFiles(Path tableLog) throws IOException {
        try (Stream<Path> files = Files.list(tableLog)) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }
}
