package dev.modelgate.e2e;

import static dev.modelgate.e2e.ExperimentFleet.awaitTrue;
import static dev.modelgate.e2e.ExperimentFleet.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas on {@code redis-sentinel://} (a primary, its replica, three sentinels), under steady load while
 * the primary fails over twice: a planned {@code SENTINEL FAILOVER}, then a {@code kill -9}. Routing never
 * fails; admin writes answer again within seconds and land on the new primary; the other replica hears of
 * them by pub/sub (it resyncs only every minute, so nothing else could tell it); the leader lease is held
 * and renewed on the new primary; no experiment is lost and no unit changes variant.
 */
class SentinelFailoverE2ETest {

    private static final String AB_50_50 = """
            {"model": "fraud-score", "kind": "ab", "variants": [{"name": "v1", "weight": 50}, {"name": "v2", "weight": 50}]}""";
    private static final String SHADOW = """
            {"model": "fraud-score", "kind": "shadow", "primary": "v1", "shadows": ["v2"], "sample_rate": 0.0, "max_concurrent": 4}""";
    /** Admin writes must answer again within this of the sentinels naming the new primary. */
    private static final Duration WRITES_RESUME = Duration.ofSeconds(15);
    /** A change on one replica must reach the other (by pub/sub) within this. */
    private static final Duration PUB_SUB = Duration.ofSeconds(5);
    private static final String LEADER_KEY = ExperimentFleet.KEY_PREFIX + ":leader";

    @RegisterExtension
    static final ExperimentFleet FLEET = ExperimentFleet.onSentinel();

    @Test
    void aPrimaryFailoverKeepsRoutingStateSubscriptionsAndTheLease() throws Exception {
        InferApi apiA = FLEET.apiA();
        InferApi apiB = FLEET.apiB();
        SentinelRedis redis = FLEET.sentinel();
        assertThat(FLEET.admin(apiA, "PUT", "/admin/experiments/fraud-ab", AB_50_50).statusCode()).isEqualTo(201);
        awaitTrue(() -> route(apiB, "u1").startsWith("fraud-ab/"), PUB_SUB);
        Map<String, String> before = routes(apiA);
        assertThat(routes(apiB)).as("sticky assignment on both replicas").isEqualTo(before);

        SteadyLoad loadA = new SteadyLoad(() -> apiA, 100, 32, Duration.ofSeconds(120), 41).start();
        SteadyLoad loadB = new SteadyLoad(() -> apiB, 100, 32, Duration.ofSeconds(120), 43).start();
        List<String> report = new ArrayList<>();
        try {
            loadA.awaitAnswered(200, Duration.ofSeconds(10));
            int round = 0;
            for (Failure failure : new Failure[] {redis::failover, redis::killPrimary}) {
                round++;
                SentinelRedis.Failover failover = failure.fail();
                report.add(failover.toString());

                // an admin write on one replica answers again, lands on the new primary, and reaches the other by pub/sub
                InferApi writer = round == 1 ? apiB : apiA;
                InferApi other = round == 1 ? apiA : apiB;
                String action = round == 1 ? "pause" : "resume";
                long start = System.nanoTime();
                HttpResponse<String> write = FLEET.adminOnceReachable(writer, "POST", "/admin/experiments/fraud-ab/" + action, null, WRITES_RESUME);
                long writeMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(write.statusCode()).as("%s after %s: %s", action, failover, write.body()).isEqualTo(200);
                String status = round == 1 ? "paused" : "running";
                awaitTrue(() -> status(other, "fraud-ab").equals(status), PUB_SUB);
                String created = "shadow-" + round;
                assertThat(FLEET.adminOnceReachable(writer, "PUT", "/admin/experiments/" + created, SHADOW, WRITES_RESUME).statusCode())
                        .isEqualTo(201);
                awaitTrue(() -> !status(other, created).isEmpty(), PUB_SUB);
                assertThat(redis.primaryCli("HKEYS", ExperimentFleet.KEY_PREFIX + ":experiments"))
                        .as("the experiments on the new primary 127.0.0.1:%d", failover.to()).contains("fraud-ab", created);
                assertThat(SentinelRedis.cli(failover.to(), "HGET", ExperimentFleet.KEY_PREFIX + ":experiments", "fraud-ab"))
                        .contains("\"status\":\"" + status + "\"");

                // the lease is held on the new primary and renewed there (past a whole TTL)
                awaitTrue(() -> leaderOn(failover.to()).startsWith("replica-"), Duration.ofMillis(2L * ExperimentFleet.LEASE_TTL_MILLIS));
                String leader = leaderOn(failover.to());
                Thread.sleep(ExperimentFleet.LEASE_TTL_MILLIS + 500L);
                assertThat(leaderOn(failover.to())).as("the lease after a TTL on the new primary").startsWith("replica-");
                report.add("admin " + action + " answered " + writeMillis + " ms after the sentinels agreed; leader " + leader
                        + " -> " + leaderOn(failover.to()) + "; pub/sub clients " + pubSubClients(failover));
            }
            redis.restartStopped();
        } finally {
            loadA.stop();
            loadB.stop();
        }
        report.forEach(line -> System.out.println("sentinel failover: " + line));
        System.out.println("sentinel failover: load on A: " + loadA.describe() + "; on B: " + loadB.describe());

        for (SteadyLoad load : new SteadyLoad[] {loadA, loadB}) {
            assertThat(load.unanswered()).as(load.describe()).isZero();
            assertThat(load.count(200)).as(load.describe()).isEqualTo(load.answered().size()).isGreaterThan(500);
        }
        for (InferApi api : new InferApi[] {apiA, apiB}) {
            assertThat(names(api)).containsExactly("fraud-ab", "shadow-1", "shadow-2");
            assertThat(routes(api)).as("no unit changed variant").isEqualTo(before);
        }
    }

    private interface Failure {
        SentinelRedis.Failover fail() throws Exception;
    }

    private static String leaderOn(int port) {
        try {
            return SentinelRedis.cli(port, "GET", LEADER_KEY);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** How many pub/sub connections each node holds: the replicas' subscriptions should sit on the new primary. */
    private static String pubSubClients(SentinelRedis.Failover failover) throws Exception {
        return "new primary " + count(SentinelRedis.cli(failover.to(), "CLIENT", "LIST", "TYPE", "pubsub"))
                + ", old primary " + count(SentinelRedis.cli(failover.from(), "CLIENT", "LIST", "TYPE", "pubsub"));
    }

    private static long count(String clientList) {
        return clientList.lines().filter(line -> line.startsWith("id=")).count();
    }

    private static String status(InferApi api, String name) {
        try {
            HttpResponse<String> response = FLEET.admin(api, "GET", "/admin/experiments/" + name, null);
            return response.statusCode() == 200 ? api.json(response).at("/spec/status").asText() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static List<String> names(InferApi api) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode experiment : api.json(FLEET.admin(api, "GET", "/admin/experiments", null)).get("experiments")) {
            names.add(experiment.at("/spec/name").asText());
        }
        names.sort(String::compareTo);
        return names;
    }

    /** The variant each of 100 units is served by (the experiment header may name a shadow experiment added since). */
    private static Map<String, String> routes(InferApi api) {
        Map<String, String> routes = new HashMap<>();
        for (int unit = 0; unit < 100; unit++) {
            String route = route(api, "unit-" + unit);
            routes.put("unit-" + unit, route.substring(route.lastIndexOf('/') + 1));
        }
        return routes;
    }
}
