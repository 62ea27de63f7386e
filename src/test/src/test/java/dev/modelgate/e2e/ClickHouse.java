package dev.modelgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The tests' own window into ClickHouse over plain HTTP, independent of the gateway's client, so a
 * test reads what really landed rather than what the gateway believes it wrote.
 */
final class ClickHouse {

    static final String URL = System.getenv().getOrDefault("MODELGATE_CLICKHOUSE_URL", "http://127.0.0.1:8123");
    /**
     * Set to run the suite against a cluster (README "ClickHouse cluster"): {@link #URL} is one of its
     * nodes, and the gateways the tests start inherit it, so they create Distributed tables over it.
     */
    static final String CLUSTER_VARIABLE = "MODELGATE_CLICKHOUSE_CLUSTER";
    static final String CLUSTER = System.getenv().getOrDefault(CLUSTER_VARIABLE, "");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI url;
    /** Whether this is the shared ClickHouse and the suite runs against a cluster. */
    private final boolean onCluster;

    ClickHouse(String url) {
        this.onCluster = !CLUSTER.isEmpty() && url.startsWith(URL);
        // on the cluster, the settings the gateway sends too (ClickHouseConnection#clusterSettings): the tests'
        // IN subqueries over Distributed tables run on the node asked, and each shard is read from its first
        // live replica (the one the rows were written to), as the gateway reads
        this.url = URI.create((url.endsWith("/") ? url : url + "/")
                + (onCluster ? "?distributed_product_mode=global&load_balancing=in_order" : ""));
    }

    ClickHouse() {
        this(URL);
    }

    /** A database name no other test uses. */
    static String uniqueDatabase(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    String execute(String sql) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("ClickHouse answered " + response.statusCode() + " to [" + sql + "]: " + response.body());
        }
        return response.body();
    }

    List<JsonNode> rows(String select) throws IOException, InterruptedException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : execute(select + " FORMAT JSONEachRow").split("\n")) {
            if (!line.isBlank()) {
                rows.add(mapper.readTree(line));
            }
        }
        return rows;
    }

    long count(String fromWhere) throws IOException, InterruptedException {
        return Long.parseLong(execute("SELECT count() FROM " + fromWhere).trim());
    }

    /** Polls {@code SELECT count()} until it satisfies {@code done} or the timeout passes; returns the last count. */
    long awaitCount(String fromWhere, Predicate<Long> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = count(fromWhere);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException tableNotThereYet) {
                // the gateway creates the table at start; keep polling
            }
            Thread.sleep(100);
        }
        return last;
    }

    /** Best-effort clean-up: a failure here must not hide the failure of the test it follows. */
    void dropDatabase(String database) throws InterruptedException {
        try {
            execute("DROP DATABASE IF EXISTS " + database
                    + (onCluster ? " ON CLUSTER " + CLUSTER : ""));
        } catch (IOException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
    }
}
