package dev.modelgate.gateway.telemetry.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.telemetry.FaultyProxy;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.TestEvents;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against the real ClickHouse of {@code scripts/services.sh}; "down" is a closed or silent port. */
class BatchWriterTest {

    private static final ClickHouseSchema PREDICTIONS_SCHEMA = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));

    private static final String TABLE = PredictionsTable.NAME;
    private static TestClickHouse clickHouse;

    @TempDir
    Path spoolDir;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<BatchWriter<?>> writers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void createTable() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        clickHouse.close();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (BatchWriter<?> writer : writers) {
            writer.close(Duration.ofSeconds(5));
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void flushesWhenABatchIsFullAndCloseWritesTheRest() throws Exception {
        BatchWriter<PredictionEvent> writer = start(clickHouse.connection(),
                settings().withBatchSize(100).withFlushInterval(Duration.ofMinutes(1)));

        offer(writer, "size", 0, 250);

        awaitTrue(() -> rowsLike("size") == 200);
        Thread.sleep(300);
        assertThat(rowsLike("size")).as("the last 50 wait for the 1-minute timer").isEqualTo(200);
        writer.close(Duration.ofSeconds(5));
        assertThat(rowsLike("size")).isEqualTo(250);
        assertThat(counter("modelgate.events.written")).isEqualTo(250);
        assertThat(counter("modelgate.events.queued")).isEqualTo(250);
        assertThat(registry.get("modelgate.events.flush").timer().count()).isEqualTo(3);
    }

    @Test
    void flushesAPartialBatchWhenTheIntervalHasPassed() throws Exception {
        BatchWriter<PredictionEvent> writer = start(clickHouse.connection(),
                settings().withBatchSize(10_000).withFlushInterval(Duration.ofMillis(400)));

        long start = System.nanoTime();
        offer(writer, "timer", 0, 7);
        assertThat(rowsLike("timer")).isZero();

        awaitTrue(() -> rowsLike("timer") == 7);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        // the rows are visible a moment before the insert returns (the writer confirms they landed)
        awaitTrue(() -> counter("modelgate.events.written") == 7);
    }

    @Test
    void spoolsWhileClickHouseIsDownThenReplaysThroughTheSpoolExactlyOnce() throws Exception {
        WriterSettings settings = settings().withBatchSize(50).withFlushInterval(Duration.ofMillis(50))
                .withReplayBackoff(Duration.ofMillis(100), Duration.ofMillis(200));
        TestClickHouse later = resource(TestClickHouse.empty()); // its database does not exist yet
        BatchWriter<PredictionEvent> down = start(unreachable(later.settings()), settings);

        offer(down, "down", 0, 230);
        down.close(Duration.ofSeconds(5));

        assertThat(counter("modelgate.events.spooled")).isEqualTo(230);
        assertThat(counter("modelgate.events.written")).isZero();
        assertThat(droppedTotal()).isZero();
        assertThat(gauge("modelgate.events.spool.files")).isGreaterThanOrEqualTo(5);
        assertThat(gauge("modelgate.events.spool")).isPositive();

        // ClickHouse answers again, with neither database nor table: the writer applies the schema
        // itself, replays the spool, and events offered meanwhile land too, each exactly once
        MeterRegistry second = new SimpleMeterRegistry();
        BatchWriter<PredictionEvent> up = track(BatchWriter.start(later.connection(), PREDICTIONS_SCHEMA, PredictionEventEncoder::new,
                settings, second));
        offer(up, "after", 0, 20);
        awaitTrue(() -> countOrMinusOne(later) == 250);

        assertThat(later.query("SELECT uniqExact(event_id) AS n FROM " + later.predictions()).get(0).path("n").asLong())
                .isEqualTo(250);
        // the counters follow the rows by the insert's landed check
        awaitTrue(() -> counter(second, "modelgate.events.replayed") + counter(second, "modelgate.events.written") == 250);
        assertThat(counter(second, "modelgate.events.replayed")).isGreaterThanOrEqualTo(230);
        awaitTrue(() -> gauge(second, "modelgate.events.spool.files") == 0);
        assertThat(gauge(second, "modelgate.events.spool")).isZero();
        double writtenBefore = counter(second, "modelgate.events.written");

        offer(up, "resumed", 0, 5);
        up.close(Duration.ofSeconds(5));
        assertThat(counter(second, "modelgate.events.written") - writtenBefore).as("direct writing resumed").isEqualTo(5);
        assertThat(later.count("1")).isEqualTo(255);
    }

    @Test
    void doesNotResendASpooledBatchThatAlreadyLanded() throws Exception {
        // the situation after an insert timed out although ClickHouse had stored the batch
        PredictionEventEncoder encoder = new PredictionEventEncoder();
        DiskSpool spool = new DiskSpool(spoolDir.resolve(clickHouse.predictions()), Long.MAX_VALUE);
        RowBuffer landed = encode(encoder, "landed", 0, 40);
        clickHouse.connection().insert(clickHouse.predictions(), encoder.format(), landed.asInputStream());
        spool.append(clickHouse.predictions(), "b-landed", 40,
                encoder.landedPredicate(TestEvents.event("landed", 0)), true, encoder.format(), landed);
        spool.append(clickHouse.predictions(), "b-lost", 30,
                encoder.landedPredicate(TestEvents.event("lost", 0)), true, encoder.format(), encode(encoder, "lost", 0, 30));

        start(clickHouse.connection(), settings());
        awaitTrue(() -> counter("modelgate.events.replayed") == 70);

        assertThat(rowsLike("landed")).isEqualTo(40);
        assertThat(rowsLike("lost")).isEqualTo(30);
    }

    @Test
    void replaysAJsonEachRowBatchSpooledBeforeRowBinaryWasUsed() throws Exception {
        // the header and row exactly as the JSONEachRow writer of the first release spooled them
        Path spool = Files.createDirectories(spoolDir.resolve(clickHouse.predictions()));
        Files.writeString(spool.resolve("0000000000000000000.batch"),
                "{\"table\":\"" + clickHouse.predictions() + "\",\"batch_id\":\"b-old\",\"rows\":1,"
                        + "\"landed_predicate\":\"event_id = 'legacy-0'\"}\n"
                        + "{\"event_date\":\"2026-11-29\",\"event_time\":1796000000,\"event_time_ms\":1796000000123,"
                        + "\"event_id\":\"legacy-0\",\"model\":\"m\",\"score\":\"nan\",\"status\":200}\n");

        start(clickHouse.connection(), settings());
        awaitTrue(() -> counter("modelgate.events.replayed") == 1);

        assertThat(rowsLike("legacy")).isEqualTo(1);
        assertThat(clickHouse.query("SELECT event_time_ms, status, isNaN(score) AS nan FROM " + clickHouse.predictions()
                + " WHERE event_id = 'legacy-0'").get(0).toString())
                .isEqualTo("{\"event_time_ms\":\"1796000000123\",\"status\":200,\"nan\":1}");
    }

    @Test
    void dropsAndCountsBatchesThatDoNotFitInTheSpool() throws Exception {
        BatchWriter<PredictionEvent> writer = start(unreachable(clickHouse.settings()), settings()
                .withBatchSize(20).withFlushInterval(Duration.ofMillis(20)).withSpoolMaxBytes(20_000));

        offer(writer, "cap", 0, 400);
        writer.close(Duration.ofSeconds(5));

        double spooled = counter("modelgate.events.spooled");
        double dropped = counter("modelgate.events.dropped", "reason", "spool_full");
        assertThat(spooled).isPositive();
        assertThat(dropped).isPositive();
        assertThat(spooled + dropped).isEqualTo(400);
        assertThat(gauge("modelgate.events.spool")).isLessThanOrEqualTo(20_000);
    }

    @Test
    void dropsAndCountsEventsWhenTheQueueIsFullWithoutBlockingTheCaller() throws Exception {
        ServerSocket silent = resource(new ServerSocket(0)); // accepts connections, never answers
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.start();
        ClickHouseConnection slow = resource(ClickHouseConnection.open(clickHouse.settings()
                .withUrl("http://127.0.0.1:" + silent.getLocalPort()).withOperationTimeout(Duration.ofSeconds(1))));
        BatchWriter<PredictionEvent> writer = start(slow, settings().withQueueCapacity(100).withBatchSize(10)
                .withFlushInterval(Duration.ofMillis(10)));
        offer(writer, "stuck", 0, 10);
        awaitTrue(() -> !accepted.isEmpty()); // the writer is now waiting for an answer

        long start = System.nanoTime();
        int taken = 0;
        for (int i = 10; i < 1_010; i++) {
            if (writer.offer(TestEvents.event("full", i))) {
                taken++;
            }
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - start);

        assertThat(taken).isEqualTo(100);
        assertThat(counter("modelgate.events.dropped", "reason", "queue_full")).isEqualTo(900);
        assertThat(gauge("modelgate.events.queue.depth")).isEqualTo(100);
        assertThat(spent).isLessThan(Duration.ofMillis(200));

        writer.close(Duration.ofSeconds(10));
        assertThat(counter("modelgate.events.spooled")).as("the slow insert timed out, nothing lost").isEqualTo(110);
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void refusesAndCountsAnEventItCannotEncodeAndKeepsTheRestOfTheBatch() throws Exception {
        PredictionEventEncoder real = new PredictionEventEncoder();
        RowEncoder<PredictionEvent> failsHalfway = new RowEncoder<>() {
            @Override
            public String table() {
                return real.table();
            }

            @Override
            public InsertFormat format() {
                return real.format();
            }

            @Override
            public void encode(PredictionEvent event, OutputStream out) throws IOException {
                if (event.eventId().equals("enc-3")) {
                    out.write(new byte[] {42, 0, 7}); // part of a row reaches the batch before the failure
                    throw new IllegalStateException("broken event");
                }
                real.encode(event, out);
            }

            @Override
            public String landedPredicate(PredictionEvent event) {
                return real.landedPredicate(event);
            }
        };
        BatchWriter<PredictionEvent> writer = track(BatchWriter.start(clickHouse.connection(), PREDICTIONS_SCHEMA, () -> failsHalfway,
                settings(), registry));

        offer(writer, "enc", 0, 3);
        assertThat(writer.offer(TestEvents.event("enc", 3))).as("the caller learns that its event was dropped").isFalse();
        offer(writer, "enc", 4, 6);
        writer.close(Duration.ofSeconds(5));

        assertThat(rowsLike("enc")).isEqualTo(5);
        assertThat(counter("modelgate.events.dropped", "reason", "encode_error")).isEqualTo(1);
        assertThat(counter("modelgate.events.written")).isEqualTo(5);
    }

    /**
     * One step of an insert reaches ClickHouse 3 s late, long after the writer's 1 s timeout: the rows'
     * INSERT into the staging table, or the copy from it into the table.
     */
    @ParameterizedTest
    @ValueSource(strings = {"modelgate_staging", "SELECT * FROM"})
    void aStepThatClickHouseExecutesAfterTheTimeoutIsNotWrittenTwice(String lateRequest) throws Exception {
        FaultyProxy proxy = resource(new FaultyProxy(clickHouse.port()));
        proxy.holdNext(Duration.ofSeconds(3), lateRequest);
        BatchWriter<PredictionEvent> writer = start(through(proxy, Duration.ofSeconds(1)), settings().withBatchSize(40)
                .withFlushInterval(Duration.ofMillis(50)).withReplayBackoff(Duration.ofMillis(100), Duration.ofMillis(200)));
        String prefix = lateRequest.startsWith("SELECT") ? "copy" : "late";

        offer(writer, prefix, 0, 40);
        awaitTrue(() -> counter("modelgate.events.spooled") == 40);
        awaitTrue(() -> counter("modelgate.events.replayed") == 40 && proxy.deliveredLate() == 1);
        Thread.sleep(500); // the late request has reached ClickHouse: give it time to do harm

        assertThat(rowsLike(prefix)).isEqualTo(40);
        assertThat(distinctEventIdsLike(prefix)).isEqualTo(40);
    }

    @Test
    void drainsAnOutagesSpoolWithinSecondsOfClickHouseAnsweringAgainWhateverTheBackoff() throws Exception {
        FaultyProxy proxy = resource(new FaultyProxy(clickHouse.port()));
        proxy.down(true);
        BatchWriter<PredictionEvent> writer = start(through(proxy, Duration.ofSeconds(1)), settings()
                .withFlushInterval(Duration.ofMillis(10)).withReplayBackoff(Duration.ofMinutes(1), Duration.ofMinutes(5))
                .withProbeInterval(Duration.ofMillis(200)));
        for (int batch = 0; batch < 100; batch++) { // a trickle: many small batches, as at a low request rate
            offer(writer, "drain", batch * 20, batch * 20 + 20);
            Thread.sleep(30);
        }
        awaitTrue(() -> counter("modelgate.events.spooled") == 2_000);
        assertThat(gauge("modelgate.events.spool.files")).as("many small batches").isGreaterThan(10);

        long back = System.nanoTime();
        proxy.down(false);
        awaitTrue(() -> counter("modelgate.events.replayed") == 2_000);

        // a minute's backoff, cut short by the probe; the batches replayed a few hundred rows per insert
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(2));
        assertThat(rowsLike("drain")).isEqualTo(2_000);
    }

    @Test
    void sendsABatchWhenItReachesItsByteCapAndGivesTheMemoryBack() throws Exception {
        BatchWriter<PredictionEvent> writer = start(clickHouse.connection(), settings().withBatchSize(100_000)
                .withBatchMaxBytes(4_096).withFlushInterval(Duration.ofMinutes(1)));

        offer(writer, "bytes", 0, 200);

        awaitTrue(() -> counter("modelgate.events.written") >= 150);
        assertThat(registry.get("modelgate.events.flush").timer().count()).as("many small batches, not one at the timer")
                .isGreaterThan(5);
        writer.close(Duration.ofSeconds(5));
        assertThat(rowsLike("bytes")).isEqualTo(200);
    }

    @Test
    void boundsTheQueueInBytesAsWellAsInEvents() throws Exception {
        FaultyProxy proxy = resource(new FaultyProxy(clickHouse.port()));
        proxy.down(true);
        BatchWriter<PredictionEvent> writer = start(through(proxy, Duration.ofSeconds(1)), settings()
                .withQueueCapacity(1_000_000, 2_000).withFlushInterval(Duration.ofMinutes(1)));
        int accepted = 0;
        for (int i = 0; i < 1_000; i++) {
            accepted += writer.offer(TestEvents.event("qbytes", i)) ? 1 : 0;
        }
        assertThat(accepted).isLessThan(1_000);
        assertThat(counter("modelgate.events.dropped", "reason", "queue_full")).isEqualTo(1_000 - accepted);
    }

    @Test
    void aWriterThatFailsRestartsLosesNothingAndWritesNothingTwice() throws Exception {
        // a meter that throws the first time a batch is counted as written: after the insert succeeded
        MeterRegistry failing = new FailingOnceRegistry("modelgate.events.written");
        BatchWriter<PredictionEvent> writer = track(BatchWriter.start(clickHouse.connection(), PREDICTIONS_SCHEMA,
                PredictionEventEncoder::new, settings().withBatchSize(30).withFlushInterval(Duration.ofMillis(50))
                        .withReplayBackoff(Duration.ofMillis(100), Duration.ofMillis(200)), failing));

        offer(writer, "restart", 0, 30);
        awaitTrue(() -> counter(failing, "modelgate.events.writer.restarts") == 1);
        awaitTrue(() -> counter(failing, "modelgate.events.replayed") == 30);
        offer(writer, "restart", 30, 60);
        writer.close(Duration.ofSeconds(5));

        assertThat(rowsLike("restart")).isEqualTo(60);
        assertThat(distinctEventIdsLike("restart")).isEqualTo(60);
    }

    @Test
    void aWriterStuckOnASilentClickHouseShowsAsStalledUntilItMovesAgain() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts, never answers
            ClickHouseConnection hanging = resource(ClickHouseConnection.open(clickHouse.settings()
                    .withUrl("http://127.0.0.1:" + silent.getLocalPort()).withOperationTimeout(Duration.ofSeconds(3))));
            BatchWriter<PredictionEvent> writer = start(hanging, settings().withBatchSize(1)
                    .withStallTimeout(Duration.ofMillis(500)));
            offer(writer, "stall", 0, 5);
            awaitTrue(writer::stalled);
            assertThat(gauge("modelgate.events.writer.stalled")).isEqualTo(1);
            awaitTrue(() -> !writer.stalled()); // the call times out, the writer spools and takes again
        }
    }

    @Test
    void prometheusShowsTheCountersUnderTheirDocumentedNames() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BatchWriter<PredictionEvent> writer = track(BatchWriter.start(clickHouse.connection(), PREDICTIONS_SCHEMA,
                PredictionEventEncoder::new, settings(), prometheus));
        offer(writer, "prom", 0, 3);
        writer.close(Duration.ofSeconds(5));

        String scrape = prometheus.scrape();

        assertThat(scrape).contains(
                "modelgate_events_queued_total{table=\"predictions\"} 3.0",
                "modelgate_events_written_total{table=\"predictions\"} 3.0",
                "modelgate_events_spooled_total{table=\"predictions\"} 0.0",
                "modelgate_events_replayed_total{table=\"predictions\"} 0.0",
                "modelgate_events_dropped_total{reason=\"queue_full\",table=\"predictions\"} 0.0",
                "modelgate_events_dropped_total{reason=\"spool_full\",table=\"predictions\"} 0.0",
                "modelgate_events_dropped_total{reason=\"encode_error\",table=\"predictions\"} 0.0",
                "modelgate_events_dropped_total{reason=\"writer_error\",table=\"predictions\"} 0.0",
                "modelgate_events_writer_restarts_total{table=\"predictions\"} 0.0",
                "modelgate_events_writer_stalled{table=\"predictions\"} 0.0",
                "modelgate_events_recovered_total{table=\"predictions\"} 0.0",
                "modelgate_events_queue_bytes{table=\"predictions\"} 0.0",
                "modelgate_events_queue_depth{table=\"predictions\"} 0.0",
                "modelgate_events_spool_bytes{table=\"predictions\"} 0.0",
                "modelgate_events_spool_files{table=\"predictions\"} 0.0",
                "modelgate_events_flush_seconds_count{table=\"predictions\"} 1");
    }

    private WriterSettings settings() {
        return WriterSettings.defaults(spoolDir);
    }

    private BatchWriter<PredictionEvent> start(ClickHouseConnection connection, WriterSettings settings)
            throws IOException {
        return track(BatchWriter.start(connection, PREDICTIONS_SCHEMA, PredictionEventEncoder::new, settings, registry));
    }

    private <T> BatchWriter<T> track(BatchWriter<T> writer) {
        writers.add(writer);
        return writer;
    }

    private <R extends AutoCloseable> R resource(R resource) {
        resources.add(resource);
        return resource;
    }

    /** Same database, but a port nobody listens on. */
    private ClickHouseConnection unreachable(ClickHouseSettings settings) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return resource(ClickHouseConnection.open(settings.withUrl("http://127.0.0.1:" + port)
                .withOperationTimeout(Duration.ofSeconds(1))));
    }

    private static void offer(BatchWriter<PredictionEvent> writer, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(writer.offer(TestEvents.event(prefix, i))).isTrue();
        }
    }

    private ClickHouseConnection through(FaultyProxy proxy, Duration timeout) {
        return resource(ClickHouseConnection.open(clickHouse.settings().withUrl(proxy.url()).withOperationTimeout(timeout)));
    }

    private static long distinctEventIdsLike(String prefix) throws Exception {
        return clickHouse.query("SELECT uniqExact(event_id) AS n FROM " + clickHouse.predictions()
                + " WHERE event_id LIKE '" + prefix + "-%'").get(0).path("n").asLong();
    }

    /** A registry whose counter of one name throws an Error the first time it is incremented. */
    private static final class FailingOnceRegistry extends SimpleMeterRegistry {

        private final String failingName;
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingOnceRegistry(String failingName) {
            this.failingName = failingName;
        }

        @Override
        protected Counter newCounter(Meter.Id id) {
            Counter real = super.newCounter(id);
            if (!id.getName().equals(failingName)) {
                return real;
            }
            return new Counter() {
                @Override
                public void increment(double amount) {
                    if (failed.compareAndSet(false, true)) {
                        throw new OutOfMemoryError("injected");
                    }
                    real.increment(amount);
                }

                @Override
                public double count() {
                    return real.count();
                }

                @Override
                public Meter.Id getId() {
                    return real.getId();
                }
            };
        }
    }

    private static RowBuffer encode(PredictionEventEncoder encoder, String prefix, int from, int to) throws IOException {
        RowBuffer buffer = new RowBuffer(1024);
        for (int i = from; i < to; i++) {
            encoder.encode(TestEvents.event(prefix, i), buffer);
        }
        return buffer;
    }

    private static long rowsLike(String prefix) {
        try {
            return clickHouse.count("event_id LIKE '" + prefix + "-%'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double counter(String name, String... tags) {
        return counter(registry, name, tags);
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tag("table", TABLE).tags(tags).counter().count();
    }

    private double droppedTotal() {
        return registry.get("modelgate.events.dropped").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double gauge(String name) {
        return gauge(registry, name);
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).tag("table", TABLE).gauge().value();
    }

    private static long countOrMinusOne(TestClickHouse db) {
        try {
            return db.count("1");
        } catch (Exception notThereYet) {
            return -1;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
