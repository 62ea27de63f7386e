package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Six thousand whole HTTP requests from a fixed seed ({@link HostileRequests}) to the infer, feedback
 * and admin routes, over raw sockets so that malformed HTTP reaches the gateway as sent: every one is
 * answered, each answer is a success or a JSON {@code {"error": ...}}, none is a 5xx, valid requests
 * succeed, and the gateway logs no stack trace for any of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeFuzzE2ETest {

    private static final long SEED = 20261207_13L;
    private static final int REQUESTS = 6_000;
    private static final int IN_FLIGHT = 16;
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String TOKEN = "fuzz-token";
    /** A valid infer request may miss the model's deadline on a starved shared machine; nothing else may be a 5xx. */
    private static final int MISSED_DEADLINE = 504;

    private record Outcome(HostileRequests.Request request, RawHttp.Answer answer, String failure) {}

    private final ClickHouse clickHouse = new ClickHouse();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private DemoGateway gateway;
    private String logBefore;
    private String logAfter;

    @BeforeAll
    void sendTheFuzz() throws Exception {
        gateway = DemoGateway.start("e2e_edge_fuzz", clickHouse,
                dir -> TestConfigs.demo(dir, 200, "", MAX_BODY_BYTES, "request_read_timeout_ms: 1000"),
                Map.of("MODELGATE_ADMIN_TOKEN", TOKEN));
        logBefore = gateway.process.log();
        HostileRequests requests = new HostileRequests(SEED, MAX_BODY_BYTES, TOKEN);
        RawHttp http = new RawHttp(gateway.process.port, Duration.ofSeconds(10));
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                HostileRequests.Request request = requests.next();
                senders.execute(() -> {
                    try {
                        outcomes.add(new Outcome(request, http.exchange(request.bytes()), null));
                    } catch (Exception e) {
                        outcomes.add(new Outcome(request, null, e.toString()));
                    }
                });
            }
        } finally {
            senders.shutdown();
            assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).as("the fuzz finished within 5 minutes").isTrue();
        }
        System.out.printf("edge fuzz: %d requests in %d ms%n", outcomes.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        logAfter = gateway.process.log();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyRequestIsAnsweredWithASuccessOrAJsonErrorAndNeverA5xx() {
        assertThat(outcomes).hasSize(REQUESTS);
        Map<String, Integer> problems = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            String problem = problem(outcome);
            if (problem != null) {
                problems.merge(outcome.request().kind() + " → " + problem, 1, Integer::sum);
            }
        }
        assertThat(problems).as("requests by kind whose answer broke the contract").isEmpty();
    }

    @Test
    void theFuzzCoversEveryRouteAndBothOutcomes() {
        Map<String, Long> byRoute = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            String kind = outcome.request().kind();
            String route = kind.startsWith("admin") ? "admin" : kind.startsWith("feedback") ? "feedback" : "infer";
            byRoute.merge(route, 1L, Long::sum);
        }
        assertThat(byRoute).containsOnlyKeys("admin", "feedback", "infer").allSatisfy((route, n) -> assertThat(n).isGreaterThan(500));
        assertThat(outcomes.stream().filter(o -> o.answer() != null && o.answer().status() / 100 == 2)).hasSizeGreaterThan(1_000);
        assertThat(outcomes.stream().filter(o -> o.answer() != null && o.answer().status() / 100 == 4)).hasSizeGreaterThan(1_000);
    }

    @Test
    void noStackTraceIsLoggedAndTheGatewayKeepsServing() throws Exception {
        String duringFuzz = logAfter.substring(Math.min(logBefore.length(), logAfter.length()));
        assertThat(duringFuzz.lines().filter(line -> line.startsWith("\tat ") || line.contains("Exception")).limit(20))
                .as("stack traces and exceptions the gateway logged during the fuzz").isEmpty();
        assertThat(gateway.process.isAlive()).isTrue();
        assertThat(gateway.api.get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    /** Null when the answer keeps the contract, else what is wrong with it. */
    private String problem(Outcome outcome) {
        if (outcome.answer() == null) {
            return "no answer: " + outcome.failure();
        }
        int status = outcome.answer().status();
        if (status == 0) {
            return "closed without an answer";
        }
        boolean inferDeadline = status == MISSED_DEADLINE && outcome.request().valid() && !outcome.request().kind().startsWith("feedback")
                && !outcome.request().kind().startsWith("admin");
        if (status >= 500 && !inferDeadline) {
            return status + " " + JsonErrors.abbreviate(outcome.answer().body());
        }
        if (outcome.request().valid() && status / 100 != 2 && !inferDeadline) {
            return "valid request refused: " + status + " " + JsonErrors.abbreviate(outcome.answer().body());
        }
        if (status >= 300 && !JsonErrors.isJsonError(outcome.answer().header("content-type"), outcome.answer().body())) {
            return status + " without a JSON error: " + outcome.answer().header("content-type") + " " + JsonErrors.abbreviate(outcome.answer().body());
        }
        return null;
    }
}
