package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ClickHouse failing the hard ways while callers keep sending: killed with SIGKILL, frozen with
 * SIGSTOP past the insert timeout, and an insert that the network delivers after the gateway gave up
 * on it. Callers must not notice, and afterwards every answered request is exactly one row. Runs a
 * ClickHouse of its own (scripts/services.sh on free ports) so it can really break it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseFaultsE2ETest {

    private static final int REQUESTS_PER_SECOND = 300;
    private static final int IN_FLIGHT = 64;
    /** Long enough for a flush or two to fail and the writer to back off several times. */
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    /** The contract: replay resumes within 2 s of ClickHouse answering; 5 s leaves room for the drain itself. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);
    private static final String TABLE = "predictions";

    private Path workDir;
    private Services services;
    private ClickHouse clickHouse;

    @BeforeAll
    void startPrivateClickHouse() throws Exception {
        workDir = Files.createTempDirectory("modelgate-e2e-ch-faults");
        services = new Services(workDir);
        services.run("start", "clickhouse");
        clickHouse = new ClickHouse(services.clickHouseUrl());
    }

    @AfterAll
    void stopPrivateClickHouse() throws Exception {
        services.run("stop", "clickhouse");
    }

    private GatewayProcess gateway(String database, String clickHouseUrl) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(database));
        return GatewayProcess.start(TestConfigs.demo(dir, 200, "insert_timeout_ms: 1000"), Map.of(
                "MODELGATE_CLICKHOUSE_URL", clickHouseUrl,
                "MODELGATE_CLICKHOUSE_DATABASE", database), dir);
    }

    private static SteadyLoad load(InferApi api, long seed) {
        return new SteadyLoad(() -> api, REQUESTS_PER_SECOND, IN_FLIGHT, Duration.ofSeconds(90), seed).start();
    }

    /** Callers never pay for ClickHouse's trouble: every request sent was answered, none with a 5xx. */
    private static void assertCallersUnaffected(SteadyLoad load) {
        assertThat(load.unanswered() + load.answeredWithStatusAtLeast(500)).as(load.describe()).isZero();
        assertThat(load.count(200)).as(load.describe()).isEqualTo(load.sent());
    }

    @Test
    void killNineForFifteenSecondsUnderLoadLosesNothingAndTheSpoolDrainsWithinSeconds() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_kill9");
        try (GatewayProcess gateway = gateway(database, services.clickHouseUrl())) {
            InferApi api = new InferApi(gateway.base);
            GatewayMetrics metrics = new GatewayMetrics(api);
            SteadyLoad load = load(api, 11);
            Thread.sleep(3_000);

            services.signal("clickhouse", "KILL");
            long outageEnd = System.nanoTime() + OUTAGE.toNanos();
            double spooledDuringOutage = 0;
            while (System.nanoTime() < outageEnd) {
                spooledDuringOutage = Math.max(spooledDuringOutage, metrics.sum("modelgate_events_spool_bytes", TABLE));
                Thread.sleep(500);
            }
            assertThat(spooledDuringOutage).as("bytes spooled while ClickHouse was dead").isPositive();

            services.run("start", "clickhouse");
            long answering = System.nanoTime();
            Duration drained = awaitEmptySpool(metrics, Duration.ofSeconds(40));
            long afterDrain = System.nanoTime();
            Thread.sleep(2_000);
            load.stop();
            System.out.printf("kill -9: spool empty %d ms after ClickHouse answered; %s%n", drained.toMillis(), load.describe());

            assertCallersUnaffected(load);
            new RowAccounting(clickHouse, database).assertExactlyOnce(load.answered(), 0, Duration.ofSeconds(30), Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(afterDrain - answering)).as("from ClickHouse answering again to an empty spool")
                    .isLessThanOrEqualTo(DRAIN_LIMIT);
            assertThat(metrics.sum("modelgate_events_dropped_total", TABLE)).isZero();
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void sigstopLongerThanTheInsertTimeoutLosesNothingAndDuplicatesNothing() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_sigstop");
        try (GatewayProcess gateway = gateway(database, services.clickHouseUrl())) {
            InferApi api = new InferApi(gateway.base);
            SteadyLoad load = load(api, 13);
            Thread.sleep(2_000);
            services.signal("clickhouse", "STOP");
            try {
                // four insert timeouts: inserts sent before the freeze are still inside ClickHouse, unanswered
                Thread.sleep(4_000);
            } finally {
                services.signal("clickhouse", "CONT");
            }
            Thread.sleep(4_000);
            load.stop();
            System.out.println("SIGSTOP: " + load.describe());

            assertCallersUnaffected(load);
            new RowAccounting(clickHouse, database).assertExactlyOnce(load.answered(), 0, Duration.ofSeconds(30), Duration.ofSeconds(3));
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void anInsertExecutedAfterTheGatewaysTimeoutIsNotWrittenTwice() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_late");
        int clickHousePort = Integer.parseInt(services.clickHouseUrl().replaceAll(".*:", ""));
        try (DelayingTcpProxy proxy = new DelayingTcpProxy(clickHousePort);
             GatewayProcess gateway = gateway(database, proxy.url())) {
            InferApi api = new InferApi(gateway.base);
            SteadyLoad load = load(api, 17);
            Thread.sleep(2_000);
            // 6 s against a 1 s insert timeout: the gateway gives up, spools and retries long before
            // the held insert reaches ClickHouse and executes
            proxy.holdNext(Duration.ofSeconds(6), "INSERT", database + "." + TABLE);
            Thread.sleep(10_000);
            load.stop();
            System.out.println("late insert: " + load.describe());

            assertThat(proxy.held()).as("inserts held back by the proxy").isEqualTo(1);
            assertCallersUnaffected(load);
            new RowAccounting(clickHouse, database).assertExactlyOnce(load.answered(), 0, Duration.ofSeconds(30), Duration.ofSeconds(3));
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    /** Polls the spool size until it is 0; returns how long that took. */
    private static Duration awaitEmptySpool(GatewayMetrics metrics, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline && metrics.sum("modelgate_events_spool_bytes", TABLE) > 0) {
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
