package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Thousands of malformed and hostile infer requests from a fixed seed, mixed with valid ones and sent
 * concurrently, must not break the promise of the event log: each answered request is one row, every
 * refusal is a 4xx with a JSON error, memory stays bounded (a 100 KB input name must not become a
 * 100 MB row), nothing is dropped, and valid traffic afterwards lands in full. One run, checked from
 * several sides by the tests below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryFuzzE2ETest {

    private static final long SEED = 20261207L;
    private static final int HOSTILE_REQUESTS = 5_000;
    private static final int VALID_AFTERWARDS = 1_000;
    private static final int IN_FLIGHT = 32;
    private static final long MAX_BODY_BYTES = 256 * 1024;
    /** With -Xmx512m a gateway that caps what it logs stays far below this. */
    private static final long RSS_LIMIT_BYTES = 1L << 30;
    private static final String INFER = "/v2/models/fraud-score/infer";
    /**
     * 504: a valid request that missed the model's 2 s deadline. A shared 2-core machine that starves
     * the gateway can cause a few by itself, so valid requests may get it; a hostile body never may.
     */
    private static final int MISSED_DEADLINE = 504;

    private record Answer(HostileBodies.Body body, int status, String requestId, String contentType, String text) {}

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_fuzz");
    private final List<Answer> hostileAnswers = new CopyOnWriteArrayList<>();
    private final List<Answer> validAfterwards = new CopyOnWriteArrayList<>();
    private final List<String> unanswered = new CopyOnWriteArrayList<>();
    private final AtomicLong peakResidentBytes = new AtomicLong();
    private GatewayProcess gateway;
    private InferApi api;
    private RowAccounting accounting;

    @BeforeAll
    void sendTheFuzzThenValidTraffic() throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-fuzz");
        gateway = GatewayProcess.start(TestConfigs.demo(workDir, 200, "queue_capacity: 100000", MAX_BODY_BYTES), Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database), workDir);
        api = new InferApi(gateway.base);
        accounting = new RowAccounting(clickHouse, database);
        Thread sampler = startMemorySampler();
        try {
            HostileBodies bodies = new HostileBodies(SEED, MAX_BODY_BYTES);
            sendAll(HOSTILE_REQUESTS, bodies::next, hostileAnswers);
            Random random = new Random(SEED + 1);
            sendAll(VALID_AFTERWARDS, () -> HostileBodies.validBody(random), validAfterwards);
        } finally {
            sampler.interrupt();
        }
        long startTime = System.nanoTime();
        clickHouse.awaitCount(database + ".predictions", n -> n >= answeredIds().size(), Duration.ofSeconds(20));
        System.out.printf("fuzz: %d answers, rows after %d ms, peak RSS %d MiB, unanswered %d%n", answeredIds().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startTime), peakResidentBytes.get() >> 20, unanswered.size());
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    private interface BodySource {
        HostileBodies.Body next();
    }

    /** Sends {@code n} bodies with at most {@link #IN_FLIGHT} waiting at once; bounded by n and by each request's timeout. */
    private void sendAll(int n, BodySource source, List<Answer> answers) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            HostileBodies.Body body = source.next();
            inFlight.acquire();
            CompletableFuture<HttpResponse<String>> call = api.postAsync(INFER, body.contentType(), body.bytes());
            call.whenComplete((response, error) -> {
                if (response == null) {
                    unanswered.add(body.kind() + ": " + error);
                } else {
                    answers.add(new Answer(body, response.statusCode(), response.headers().firstValue("X-Request-Id").orElse(null),
                            response.headers().firstValue("Content-Type").orElse(""), response.body()));
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers still missing 60 s after the last request");
        }
    }

    private Thread startMemorySampler() {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && gateway.isAlive()) {
                try {
                    peakResidentBytes.accumulateAndGet(gateway.residentBytes(), Math::max);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception processGone) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return sampler;
    }

    private List<String> answeredIds() {
        List<String> ids = new ArrayList<>();
        for (List<Answer> answers : List.of(hostileAnswers, validAfterwards)) {
            answers.stream().map(Answer::requestId).filter(id -> id != null).forEach(ids::add);
        }
        return ids;
    }

    @Test
    void everyRequestIsAnsweredWithARequestIdAndTheGatewaySurvives() throws Exception {
        assertThat(unanswered).as("requests without an answer (first few)").isEmpty();
        assertThat(hostileAnswers).hasSize(HOSTILE_REQUESTS);
        assertThat(hostileAnswers.stream().filter(a -> a.requestId() == null).map(a -> a.body().kind() + " → " + a.status()).distinct())
                .as("answers of the known model without X-Request-Id cannot be traced to their row").isEmpty();
        assertThat(gateway.isAlive()).isTrue();
        assertThat(api.get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void hostileBodiesGetAClientErrorWithAJsonBodyNever5xx() throws Exception {
        Map<String, Integer> serverErrors = new TreeMap<>();
        Map<String, Integer> validFailures = new TreeMap<>();
        List<String> withoutJsonError = new ArrayList<>();
        for (Answer answer : hostileAnswers) {
            String key = answer.body().kind() + " → " + answer.status();
            if (!answer.body().valid() && answer.status() >= 500) {
                serverErrors.merge(key, 1, Integer::sum);
            }
            if (answer.body().valid() && answer.status() != 200 && answer.status() != MISSED_DEADLINE) {
                validFailures.merge(key + " " + JsonErrors.abbreviate(answer.text()), 1, Integer::sum);
            }
            if (answer.status() >= 300 && !JsonErrors.isJsonError(answer.contentType(), answer.text())) {
                withoutJsonError.add(key + " " + answer.contentType() + " " + JsonErrors.abbreviate(answer.text()));
            }
        }
        assertThat(serverErrors).as("5xx for a caller's mistake, by kind and status").isEmpty();
        assertThat(validFailures).as("valid requests mixed into the fuzz that failed other than by missing the deadline").isEmpty();
        assertThat(withoutJsonError.stream().distinct().limit(10)).as("refusals without a JSON {\"error\": ...} body").isEmpty();
    }

    @Test
    void everyAnsweredRequestIsExactlyOneRow() throws Exception {
        // the rows had their time in sendTheFuzzThenValidTraffic; here only a late duplicate gets a second
        accounting.assertExactlyOnce(answeredIds(), 0, Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void memoryStaysBoundedAndNothingIsDroppedOrLeftWaiting() throws Exception {
        assertThat(peakResidentBytes.get()).as("peak gateway RSS during the fuzz, bytes (-Xmx512m)").isPositive().isLessThan(RSS_LIMIT_BYTES);
        GatewayMetrics metrics = new GatewayMetrics(api);
        assertThat(metrics.exposes("modelgate_events_dropped_total")).as("the drop counter is on /metrics").isTrue();
        assertThat(metrics.sum("modelgate_events_dropped_total", "predictions"))
                .as("events dropped with a queue of 100,000").isZero();
        // a writer that died would drop nothing yet lose everything: its events would wait here forever
        assertThat(metrics.sum("modelgate_events_queue_depth", "predictions")).as("events still queued after the rows landed").isZero();
    }

    @Test
    void validTrafficAfterTheFuzzIsServedAndLandsInFull() throws Exception {
        assertThat(validAfterwards).hasSize(VALID_AFTERWARDS);
        assertThat(validAfterwards).allSatisfy(a -> assertThat(a.status()).as(a.text()).isIn(200, MISSED_DEADLINE));
        assertThat(validAfterwards.stream().filter(a -> a.status() == MISSED_DEADLINE).count())
                .as("valid requests after the fuzz that missed the model's deadline").isLessThanOrEqualTo(VALID_AFTERWARDS / 100);
        List<String> ids = validAfterwards.stream().map(Answer::requestId).toList();
        RowAccounting.Result result = accounting.tally(ids);
        assertThat(result.missing()).as("valid requests after the fuzz without a row: %s", result.describe()).isEmpty();
        assertThat(result.duplicated()).as("valid requests after the fuzz with several rows").isEmpty();
    }

    @Test
    void aHugeInputNameBecomesARowOfAFewKilobytesThatSaysWhatWasCut() throws Exception {
        List<String> ids = hostileAnswers.stream().filter(a -> a.body().kind().equals("huge input name") && a.requestId() != null)
                .map(Answer::requestId).limit(5).toList();
        assertThat(ids).as("the seed sends the amplification case").isNotEmpty();
        assertThat(new GatewayMetrics(api).sum("modelgate_events_truncated_total", "predictions"))
                .as("modelgate_events_truncated_total{table=predictions}, all fields").isGreaterThanOrEqualTo(ids.size());
        List<JsonNode> rows = clickHouse.rows("SELECT * FROM " + database + ".predictions WHERE request_id IN ('" + String.join("','", ids) + "')");
        assertThat(rows).as("rows of the huge-name requests").hasSameSizeAs(ids);
        for (JsonNode row : rows) {
            assertThat(row.toString().length()).as("row of %s, characters as JSON (from a %d-character name × 1,024 values)",
                    row.get("request_id").asText(), HostileBodies.HUGE_NAME_CHARS).isLessThan(16 * 1024);
            assertThat(row.path("truncated_fields")).as("truncated_fields of %s", row.get("request_id").asText()).isNotEmpty();
        }
    }
}
