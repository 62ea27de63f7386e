package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ClickHouse going away must cost callers nothing and lose nothing: while it is down every request
 * still succeeds and events wait in the disk spool; when it is back they land exactly once. This
 * test runs a ClickHouse of its own (same scripts, other ports) so it can really stop and start it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseOutageE2ETest {

    @RegisterExtension
    static final PrivateClickHouse PRIVATE_CLICKHOUSE = new PrivateClickHouse("modelgate-e2e-outage");

    private final ClickHouse clickHouse = PRIVATE_CLICKHOUSE.client();

    private void services(String command) throws IOException, InterruptedException {
        PRIVATE_CLICKHOUSE.run(command);
    }

    private GatewayProcess gateway(String database, long flushMillis) throws Exception {
        return PRIVATE_CLICKHOUSE.gateway(database, PRIVATE_CLICKHOUSE.url(), flushMillis, "insert_timeout_ms: 1000");
    }

    private static List<String> sendAll(InferApi api, int n, Random random) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(api.postAsync("/v2/models/fraud-score/infer",
                    InferApi.fraudRequest(ServeAndLogE2ETest.randomTransaction(random), "u" + random.nextInt(1000))));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
        return ids;
    }

    private static double metric(InferApi api, String name) throws Exception {
        return new GatewayMetrics(api).sum(name, "predictions");
    }

    @Test
    void requestsSucceedDuringAnOutageAndEveryEventLandsExactlyOnceAfterwards() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_outage");
        Random random = new Random(7);
        try (GatewayProcess gateway = gateway(database, 200)) {
            InferApi api = new InferApi(gateway.base);
            String table = database + ".predictions";
            List<String> before = sendAll(api, 50, random);
            assertThat(clickHouse.awaitCount(table, n -> n == 50, Duration.ofSeconds(10))).isEqualTo(50);

            services("stop");
            List<String> during = sendAll(api, 200, random);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (metric(api, "modelgate_events_spooled_total") < 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(metric(api, "modelgate_events_spooled_total")).as("events spooled while ClickHouse is down").isGreaterThanOrEqualTo(200);
            assertThat(metric(api, "modelgate_events_dropped_total")).isZero();

            services("start");
            assertThat(clickHouse.awaitCount(table, n -> n >= 250, Duration.ofSeconds(60))).isEqualTo(250);
            Thread.sleep(1_000);
            assertThat(clickHouse.count(table)).as("no duplicates after replay").isEqualTo(250);
            List<String> all = new ArrayList<>(before);
            all.addAll(during);
            assertThat(clickHouse.count("(SELECT DISTINCT request_id FROM " + table + " WHERE request_id IN ('" + String.join("','", all) + "'))"))
                    .isEqualTo(250);
            assertThat(metric(api, "modelgate_events_replayed_total")).isGreaterThanOrEqualTo(200);
        } finally {
            clickHouse.dropDatabase(database);
        }
    }

    @Test
    void sigtermFlushesEventsStillInTheQueue() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_sigterm");
        try {
            List<String> ids;
            GatewayProcess gateway = gateway(database, 600_000);
            try {
                ids = sendAll(new InferApi(gateway.base), 40, new Random(3));
                assertThat(clickHouse.awaitCount(database + ".predictions", n -> n > 0, Duration.ofMillis(500)))
                        .as("nothing flushed before shutdown: the flush interval is ten minutes").isLessThanOrEqualTo(0);
            } finally {
                assertThat(gateway.stop()).as("exit status after SIGTERM (143 = 128 + SIGTERM)").isIn(0, 143);
            }
            assertThat(clickHouse.count(database + ".predictions WHERE request_id IN ('" + String.join("','", ids) + "')")).isEqualTo(40);
        } finally {
            clickHouse.dropDatabase(database);
        }
    }
}
