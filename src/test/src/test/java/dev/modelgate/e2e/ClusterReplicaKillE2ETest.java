package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ClickHouse nodes killed with -9 under steady load cost callers nothing and lose no row: first the
 * other replica of the shard the gateway writes to (the gateway does not notice; the replica fetches
 * what it missed when it is back), then the very node the gateway writes to (events wait in the spool
 * and are replayed exactly once when it is back). Heavy (a private cluster, ~1 min of load): runs with
 * {@code MODELGATE_CLUSTER_TESTS=1}.
 */
@EnabledIfEnvironmentVariable(named = "MODELGATE_CLUSTER_TESTS", matches = "1")
class ClusterReplicaKillE2ETest {

    @RegisterExtension
    static final PrivateCluster CLUSTER = new PrivateCluster("modelgate-e2e-cluster-kill");

    private static final int BETWEEN_STEPS = 400; // answers between two steps, ~4 s at 100/s

    @Test
    void replicasKilledUnderLoadLoseNoRowAndDuplicateNone() throws Exception {
        String database = ClickHouse.uniqueDatabase("e2e_cluster_kill");
        try (GatewayProcess gateway = CLUSTER.gateway(database, 0, 200, "insert_timeout_ms: 1000")) {
            InferApi api = new InferApi(gateway.base);
            List<String> ok;
            try (SteadyLoad load = new SteadyLoad(() -> api, 100, 64, Duration.ofMinutes(3), 20).start()) {
                step(load);
                CLUSTER.kill("n2");
                step(load);
                CLUSTER.start();
                step(load);
                CLUSTER.kill("n1");
                step(load);
                CLUSTER.start();
                step(load);
                load.stop();
                System.out.println("cluster kill -9 under load: " + load.describe());
                assertThat(load.unanswered()).as(load.describe()).isZero();
                assertThat(load.answeredWithStatusAtLeast(300)).as("requests failed while a node was down: " + load.describe()).isZero();
                ok = load.statusById().entrySet().stream().filter(e -> e.getValue() == 200).map(Map.Entry::getKey).toList();
            }

            // each replica of the written shard holds it whole once the restarted one has fetched what it missed;
            // then the Distributed table of a node of the other shard reads every answered request once
            String table = database + ".predictions";
            for (int replica = 0; replica < 2; replica++) {
                assertThat(CLUSTER.client(replica).awaitCount(table + "_local", n -> n >= ok.size(), Duration.ofSeconds(90)))
                        .as("n%d holds the shard whole", replica + 1).isEqualTo(ok.size());
            }
            Thread.sleep(1_000); // a duplicate would arrive right behind
            JsonNode seen = CLUSTER.client(2).rows("SELECT count() AS n, uniqExact(request_id) AS ids, countIf(request_id IN ('"
                    + String.join("','", ok) + "')) AS answered FROM " + table).get(0);
            assertThat(seen.toString()).as("every answered request logged once, read through n3")
                    .isEqualTo("{\"n\":\"%d\",\"ids\":\"%d\",\"answered\":\"%d\"}".formatted(ok.size(), ok.size(), ok.size()));
            System.out.println("cluster kill -9 under load: " + ok.size() + " answered requests, " + ok.size()
                    + " rows on each replica of shard 1, none lost or doubled");
        } finally {
            CLUSTER.dropDatabase(database);
        }
    }

    private static void step(SteadyLoad load) throws InterruptedException {
        load.awaitAnswered(load.answered().size() + BETWEEN_STEPS, Duration.ofSeconds(30));
    }
}
