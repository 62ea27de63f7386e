package dev.modelgate.gateway.telemetry;

import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away database on the 2 shards x 2 replicas started by {@code scripts/services.sh start cluster},
 * whose first node's HTTP interface is {@code MODELGATE_CLUSTER_URL} (the others follow on the next ports:
 * n1 and n2 are shard 1, n3 and n4 shard 2). One per test class; {@link #close()} drops it on every node.
 */
public final class TestCluster implements AutoCloseable {

    /** Set (by {@code scripts/test.sh}) when the cluster profile runs; tests over it are skipped otherwise. */
    public static final String URL_VARIABLE = "MODELGATE_CLUSTER_URL";
    public static final String NAME = "modelgate";
    public static final int NODES = 4;

    private final List<ClickHouseConnection> nodes;

    private TestCluster(List<ClickHouseConnection> nodes) {
        this.nodes = nodes;
    }

    /** Connections to every node for a fresh database name; nothing is created. */
    public static TestCluster empty(Duration operationTimeout) {
        String database = "modelgate_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        List<ClickHouseConnection> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(ClickHouseConnection.open(ClickHouseSettings.defaults().withUrl(nodeUrl(i)).withDatabase(database)
                    .withOperationTimeout(operationTimeout).withCluster(NAME)));
        }
        return new TestCluster(nodes);
    }

    /** HTTP URL of node {@code index} (0-based). */
    public static String nodeUrl(int index) {
        URI first = URI.create(System.getenv(URL_VARIABLE));
        return first.getScheme() + "://" + first.getHost() + ":" + (first.getPort() + index);
    }

    public ClickHouseConnection node(int index) {
        return nodes.get(index);
    }

    public List<ClickHouseConnection> nodes() {
        return nodes;
    }

    public String database() {
        return nodes.get(0).settings().database();
    }

    /** Rows of {@code table} seen from {@code node}, polled until {@code expected} or 20 s (replication is asynchronous). */
    public long awaitCount(int node, String table, long expected) throws ClickHouseCallException, InterruptedException {
        String qualified = database() + "." + table;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long count = nodes.get(node).count(qualified, "1");
        while (count < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = nodes.get(node).count(qualified, "1");
        }
        return count;
    }

    @Override
    public void close() throws ClickHouseCallException {
        try {
            nodes.get(0).execute("DROP DATABASE IF EXISTS " + database() + " ON CLUSTER " + NAME);
        } finally {
            nodes.forEach(ClickHouseConnection::close);
        }
    }
}
