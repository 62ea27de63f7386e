package dev.modelgate.gateway.telemetry.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Cluster mode against the real 2 shards x 2 replicas of {@code scripts/services.sh start cluster}
 * (run when {@code MODELGATE_CLUSTER_URL} names its first node, as {@code scripts/test.sh} does):
 * tables and migrations reach every node, and an exactly-once insert lands on the shard of the node it was sent to and is read through the
 * Distributed table from any node.
 */
@EnabledIfEnvironmentVariable(named = TestCluster.URL_VARIABLE, matches = ".+")
class ClickHouseClusterSchemaTest {

    /** n1 and n2 are shard 1, n3 and n4 shard 2 (services.sh). */
    private final TestCluster cluster = TestCluster.empty(Duration.ofSeconds(10));
    private final List<ClickHouseConnection> nodes = cluster.nodes();
    private final String database = cluster.database();

    @AfterEach
    void dropDatabase() throws Exception {
        cluster.close();
    }

    @Test
    void createsReplicatedLocalTablesAndDistributedTablesOnEveryNodeAndCanRunTwice() throws Exception {
        ClickHouseSchema schema = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));
        schema.apply(nodes.get(0));
        schema.apply(nodes.get(2));

        for (ClickHouseConnection node : nodes) {
            assertThat(engines(node)).as(node.settings().url())
                    .containsExactly("predictions Distributed", "predictions_local ReplicatedMergeTree");
            assertThat(columns(node, "predictions")).as(node.settings().url()).isEqualTo(columns(node, "predictions_local"))
                    .hasSize(PredictionsTable.DEFINITION.columns().size());
        }
    }

    @Test
    void addsNewColumnsToTheLocalAndTheDistributedTableOfEveryNode() throws Exception {
        TableDefinition v1 = twoColumnFeedback();
        new ClickHouseSchema(List.of(v1)).apply(nodes.get(0));
        nodes.get(3).execute("INSERT INTO " + database + ".feedback VALUES ('r1', toDateTime(1714979289)), ('r2', toDateTime(1714979289))");

        TableDefinition v2 = new TableDefinition("feedback", List.of(ColumnDefinition.of("request_id", "String"),
                ColumnDefinition.of("event_time", "DateTime"), ColumnDefinition.withDefault("value", "Float64", "1")),
                v1.engine(), v1.shardingKey());
        new ClickHouseSchema(List.of(v2)).apply(nodes.get(1));

        for (ClickHouseConnection node : nodes) {
            assertThat(columns(node, "feedback")).as(node.settings().url()).containsExactly("request_id", "event_time", "value");
            assertThat(columns(node, "feedback_local")).as(node.settings().url()).containsExactly("request_id", "event_time", "value");
        }
        List<JsonNode> rows = nodes.get(2).query("SELECT request_id, value FROM " + database + ".feedback ORDER BY request_id");
        assertThat(rows).extracting(r -> r.path("request_id").asText() + "=" + r.path("value").asDouble()).containsExactly("r1=1.0", "r2=1.0");
    }

    @Test
    void anExactlyOnceInsertLandsWholeOnTheShardOfItsNodeAndIsReadFromEveryNode() throws Exception {
        TableDefinition table = twoColumnFeedback();
        new ClickHouseSchema(List.of(table)).apply(nodes.get(0));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            rows.append("{\"request_id\":\"r").append(i).append("\",\"event_time\":\"2026-01-01 00:00:00\"}\n");
        }
        StagedInsert insert = new StagedInsert(nodes.get(0), "feedback", "clustertest");

        insert.insert(InsertFormat.JSON_EACH_ROW, new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)), "request_id = 'r0'");
        insert.fence();

        assertThat(insert.landed("request_id = 'r0'")).isTrue();
        assertThat(nodes.get(0).count(database + ".feedback_local", "1")).as("on n1, the node it was sent to").isEqualTo(1_000);
        // one block on shard 1, copied to its other replica (n2 reads shard 1 from itself, so it waits
        // for the copy), none on shard 2
        for (ClickHouseConnection node : nodes) {
            assertThat(cluster.awaitCount(nodes.indexOf(node), "feedback", 1_000)).as("read through the Distributed table of " + node.settings().url())
                    .isEqualTo(1_000);
        }
        assertThat(cluster.awaitCount(1, "feedback_local", 1_000)).as("replicated to n2").isEqualTo(1_000);
        assertThat(nodes.get(2).count(database + ".feedback_local", "1") + nodes.get(3).count(database + ".feedback_local", "1")).isZero();
    }

    private static TableDefinition twoColumnFeedback() {
        return new TableDefinition("feedback", List.of(ColumnDefinition.of("request_id", "String"),
                ColumnDefinition.of("event_time", "DateTime")), "ENGINE = MergeTree() ORDER BY event_time")
                .shardedBy("cityHash64(request_id)");
    }

    private List<String> engines(ClickHouseConnection node) throws ClickHouseCallException {
        return node.query("SELECT name, engine FROM system.tables WHERE database = " + SqlLiterals.quote(database) + " ORDER BY name")
                .stream().map(r -> r.path("name").asText() + " " + r.path("engine").asText()).collect(Collectors.toList());
    }

    private List<String> columns(ClickHouseConnection node, String table) throws ClickHouseCallException {
        return node.query("SELECT name FROM system.columns WHERE database = " + SqlLiterals.quote(database)
                        + " AND table = " + SqlLiterals.quote(table))
                .stream().map(r -> r.path("name").asText()).collect(Collectors.toList());
    }
}
