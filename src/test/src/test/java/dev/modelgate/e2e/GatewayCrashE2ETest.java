package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway itself going away under load. SIGTERM (a rolling deploy) must flush what it answered;
 * SIGKILL (OOM killer, lost node) with {@code durability: wal} must lose no answered request either,
 * once a gateway is started again on the same folders, and must not write any of them twice.
 */
class GatewayCrashE2ETest {

    private static final int REQUESTS_PER_SECOND = 500;
    private static final int IN_FLIGHT = 64;
    /** Answers to wait for before the crash, so that it finds a queue and requests in flight. */
    private static final int ANSWERED_BEFORE_CRASH = 1_500;
    /** ...but no longer than this: a cold gateway on a shared 2-core machine may serve far less than the rate. */
    private static final Duration MAX_LOAD_BEFORE_CRASH = Duration.ofSeconds(20);
    /** Fewer answers than this and the crash found too little to prove anything. */
    private static final int MIN_ANSWERED = 200;

    private final ClickHouse clickHouse = new ClickHouse();

    private static Map<String, String> env(String database) {
        return Map.of("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL, "MODELGATE_CLICKHOUSE_DATABASE", database);
    }

    private static SteadyLoad load(GatewayProcess gateway, long seed) {
        InferApi api = new InferApi(gateway.base);
        return new SteadyLoad(() -> api, REQUESTS_PER_SECOND, IN_FLIGHT, Duration.ofSeconds(60), seed).start();
    }

    @Test
    void sigtermUnderLoadWritesEveryAnsweredRequest() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_sigterm_load");
        Path dir = Files.createTempDirectory("modelgate-e2e-sigterm");
        // a flush interval longer than the test: whatever lands was flushed by the shutdown
        Path config = TestConfigs.demo(dir, 600_000, "batch_size: 1000000");
        // try-with-resources only for a test that fails before the signal: close() of a stopped gateway does nothing
        try (GatewayProcess gateway = GatewayProcess.start(config, env(database), dir)) {
            SteadyLoad load = load(gateway, 23);
            load.awaitAnswered(ANSWERED_BEFORE_CRASH, MAX_LOAD_BEFORE_CRASH);
            int exit = gateway.stop();
            load.stop();
            System.out.println("SIGTERM: " + load.describe());

            assertThat(exit).as("exit status after SIGTERM (143 = 128 + SIGTERM)").isIn(0, 143);
            assertThat(load.answered()).as(load.describe()).hasSizeGreaterThanOrEqualTo(MIN_ANSWERED);
            new RowAccounting(clickHouse, database, load.statusById())
                    .assertExactlyOnce(load.answered(), load.unanswered(), Duration.ofSeconds(5), Duration.ofSeconds(1));
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void killNineWithAWriteAheadLogLosesNoAnsweredRequest() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_kill9_wal");
        Path dir = Files.createTempDirectory("modelgate-e2e-wal");
        // flushes every 2 s, so a kill always finds answered requests that only the WAL holds
        Path config = TestConfigs.demo(dir, 2_000, "durability: wal\nwal_dir: \"" + dir.resolve("wal") + "\"");
        try (GatewayProcess gateway = GatewayProcess.start(config, env(database), dir)) {
            SteadyLoad load = load(gateway, 29);
            load.awaitAnswered(ANSWERED_BEFORE_CRASH, MAX_LOAD_BEFORE_CRASH);
            gateway.kill();
            load.stop();
            System.out.println("kill -9: " + load.describe());
            assertThat(load.answered()).as(load.describe()).hasSizeGreaterThanOrEqualTo(MIN_ANSWERED);

            try (GatewayProcess restarted = GatewayProcess.start(config, env(database), dir)) {
                RowAccounting.Result result = new RowAccounting(clickHouse, database, load.statusById())
                        .assertExactlyOnce(load.answered(), load.unanswered(), Duration.ofSeconds(30), Duration.ofSeconds(3));
                System.out.println("after restart: " + result.describe());
                assertThat(restarted.isAlive()).isTrue();
            }
        } finally {
            clickHouse.dropDatabase(database);
        }
    }
}
