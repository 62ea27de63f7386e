package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.telemetry.FaultyProxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ClickHouse failing the hard ways while callers keep sending: killed with SIGKILL, frozen with
 * SIGSTOP past the insert timeout, and an insert that the network delivers after the gateway gave up
 * on it. Callers must not notice, and afterwards every answered request is exactly one row. Runs a
 * ClickHouse of its own so it can really break it.
 */
class ClickHouseFaultsE2ETest {

    @RegisterExtension
    static final PrivateClickHouse PRIVATE_CLICKHOUSE = new PrivateClickHouse("modelgate-e2e-ch-faults");

    private static final int REQUESTS_PER_SECOND = 300;
    private static final int IN_FLIGHT = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /** Long enough for several flushes to fail and the writer to back off several times. */
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    /** The contract: replay resumes within 2 s of ClickHouse answering; 5 s leaves room for the drain itself. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);
    private static final String TABLE = "predictions";
    private static final String ONE_SECOND_INSERTS = "insert_timeout_ms: 1000";

    private final ClickHouse clickHouse = PRIVATE_CLICKHOUSE.client();

    /** What a test does to ClickHouse while the load runs, and what it checks meanwhile. */
    private interface Fault {
        void inject(InferApi api, GatewayMetrics metrics) throws Exception;
    }

    /**
     * Starts a gateway writing to a fresh database through {@code clickHouseUrl}, sends steady load,
     * lets {@code fault} break things after a warm-up, then stops the load and checks the promise:
     * callers never paid for ClickHouse's trouble (every request sent was answered, none with a 5xx
     * of ClickHouse's making), and every answered request is exactly one row.
     */
    private void underLoad(String fault, String clickHouseUrl, String telemetry, long seed, Fault body) throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_" + fault.replaceAll("[^a-z0-9]", ""));
        try (GatewayProcess gateway = PRIVATE_CLICKHOUSE.gateway(database, clickHouseUrl, 200, telemetry)) {
            InferApi api = new InferApi(gateway.base);
            SteadyLoad load = new SteadyLoad(() -> api, REQUESTS_PER_SECOND, IN_FLIGHT, Duration.ofSeconds(90), seed).start();
            try {
                Thread.sleep(WARM_UP.toMillis());
                body.inject(api, new GatewayMetrics(api));
            } finally {
                load.stop();
            }
            System.out.println(fault + ": " + load.describe());
            assertThat(load.unanswered()).as("requests without an answer: %s", load.describe()).isZero();
            // 504 is the model's own deadline, which a CPU-starved shared machine can miss by itself;
            // any other 5xx would mean ClickHouse's trouble reached the callers
            assertThat(load.answeredWithStatusAtLeast(500) - load.count(504)).as("5xx other than 504: %s", load.describe()).isZero();
            new RowAccounting(clickHouse, database, load.statusById())
                    .assertExactlyOnce(load.answered(), 0, Duration.ofSeconds(30), Duration.ofSeconds(3));
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void killNineForFifteenSecondsUnderLoadLosesNothingAndTheSpoolDrainsWithinSeconds() throws Exception {
        AtomicReference<Duration> drainTime = new AtomicReference<>();
        underLoad("kill -9", PRIVATE_CLICKHOUSE.url(), ONE_SECOND_INSERTS, 11, (api, metrics) -> {
            PRIVATE_CLICKHOUSE.signal("KILL");
            long outageEnd = System.nanoTime() + OUTAGE.toNanos();
            double spooled = 0;
            while (System.nanoTime() < outageEnd) {
                spooled = Math.max(spooled, metrics.sum("modelgate_events_spool_bytes", TABLE));
                Thread.sleep(500);
            }
            assertThat(spooled).as("bytes spooled while ClickHouse was dead").isPositive();

            PRIVATE_CLICKHOUSE.run("start");
            long answering = System.nanoTime();
            boolean drained = await(() -> metrics.sum("modelgate_events_spool_bytes", TABLE) == 0, Duration.ofSeconds(40));
            drainTime.set(drained ? Duration.ofNanos(System.nanoTime() - answering) : null);
            System.out.printf("kill -9: spool empty %s after ClickHouse answered%n", drainTime.get());
            assertThat(metrics.exposes("modelgate_events_dropped_total")).isTrue();
            assertThat(metrics.sum("modelgate_events_dropped_total", TABLE)).isZero();
        });
        // checked after the rows: a slow drain is a failure, lost or doubled rows a worse one
        assertThat(drainTime.get()).as("time from ClickHouse answering again to an empty spool (null: not within 40 s)")
                .isNotNull().isLessThanOrEqualTo(DRAIN_LIMIT);
    }

    @Test
    void sigstopLongerThanTheInsertTimeoutLosesNothingAndDuplicatesNothing() throws Exception {
        underLoad("sigstop", PRIVATE_CLICKHOUSE.url(), ONE_SECOND_INSERTS, 13, (api, metrics) -> {
            PRIVATE_CLICKHOUSE.signal("STOP");
            try {
                // four insert timeouts: inserts sent before the freeze wait inside ClickHouse, unanswered
                Thread.sleep(4_000);
            } finally {
                PRIVATE_CLICKHOUSE.signal("CONT");
            }
            Thread.sleep(4_000);
        });
    }

    @Test
    void anInsertExecutedAfterTheGatewaysTimeoutIsNotWrittenTwice() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(PRIVATE_CLICKHOUSE.httpPort())) {
            underLoad("late insert", proxy.url(), ONE_SECOND_INSERTS, 17, (api, metrics) -> {
                // 6 s against a 1 s insert timeout: the gateway gives up, spools and retries long
                // before the held request (the step that copies a batch into predictions) reaches
                // ClickHouse and executes
                proxy.holdNext(Duration.ofSeconds(6), "INSERT", "." + TABLE);
                Thread.sleep(10_000);
                assertThat(proxy.deliveredLate()).as("inserts held back by the proxy, then delivered").isEqualTo(1);
            });
        }
    }

    @Test
    void aWriterWaitingOnAFrozenClickHouseIsReportedStalledAndTheReplicaNotReady() throws Exception {
        // the insert outlives the stall timeout, so the writer sits in it without progress
        underLoad("stall", PRIVATE_CLICKHOUSE.url(), "insert_timeout_ms: 30000\nstall_timeout_ms: 2000", 19, (api, metrics) -> {
            boolean stalled;
            boolean notReady;
            PRIVATE_CLICKHOUSE.signal("STOP");
            try {
                stalled = await(() -> metrics.sum("modelgate_events_writer_stalled", TABLE) == 1, Duration.ofSeconds(10));
                notReady = api.get("/v2/health/ready").statusCode() == 503;
            } finally {
                PRIVATE_CLICKHOUSE.signal("CONT");
            }
            boolean recovered = await(() -> metrics.sum("modelgate_events_writer_stalled", TABLE) == 0
                    && api.get("/v2/health/ready").statusCode() == 200, Duration.ofSeconds(10));
            assertThat(stalled).as("modelgate_events_writer_stalled{table=predictions} = 1 within 10 s of the freeze").isTrue();
            assertThat(notReady).as("/v2/health/ready answers 503 while the writer is stalled").isTrue();
            assertThat(recovered).as("stalled back to 0 and ready again within 10 s of ClickHouse resuming").isTrue();
        });
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
    private static boolean await(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return false;
    }
}
