package dev.modelgate.bench.cluster;

import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.batch.BatchWriter;
import dev.modelgate.gateway.telemetry.batch.WriterSettings;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events per second one gateway's telemetry pushes into ClickHouse: a single server against the 2x2
 * cluster, in the same run, modes measured in alternation (rounds) so that drift on a shared machine
 * hits them alike. Each window offers prediction events as fast as the writer takes them for
 * {@code bench.seconds}, then closes the writer (final flush) and counts the rows that landed.
 * <ul>
 * <li>{@code single}: the gateway's BatchWriter (exactly-once staged inserts) into the single server;</li>
 * <li>{@code cluster_local}: the same writer in cluster mode, i.e. into the ReplicatedMergeTree table of
 * the node it talks to (what the gateway does);</li>
 * <li>{@code single_plain}, {@code cluster_local_plain}, {@code cluster_distributed_plain}: the same encoded
 * batches sent by plain INSERTs one after the other (no staging, no exactly-once), into the single
 * server's table, the node's local table and the Distributed table ({@code insert_distributed_sync=1}:
 * the insert answers once every shard has its part), to separate the cost of the Distributed hop.</li>
 * </ul>
 * Properties: bench.single.url, bench.cluster.url, bench.cluster.name, bench.seconds, bench.rounds,
 * bench.batch, bench.dir (spool folders), bench.out (figures, as properties).
 */
public final class ClusterIngestBench {

    private static final String DATABASE = "modelgate_bench_cluster";

    public static void main(String[] args) throws Exception {
        String singleUrl = System.getProperty("bench.single.url");
        String clusterUrl = System.getProperty("bench.cluster.url");
        String clusterName = System.getProperty("bench.cluster.name", "modelgate");
        Duration window = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "15")));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "2"));
        int batch = Integer.parseInt(System.getProperty("bench.batch", "5000"));
        Path dir = Path.of(System.getProperty("bench.dir"));
        // 120 s: dropping millions of rows on a loaded machine outlasted 30 s
        ClickHouseSettings base = ClickHouseSettings.defaults().withDatabase(DATABASE).withOperationTimeout(Duration.ofSeconds(120));
        ClickHouseSettings single = base.withUrl(singleUrl);
        ClickHouseSettings cluster = base.withUrl(clusterUrl).withCluster(clusterName);
        ClickHouseSchema schema = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        try (ClickHouseConnection singleConnection = ClickHouseConnection.open(single);
             ClickHouseConnection clusterConnection = ClickHouseConnection.open(cluster)) {
            drop(singleConnection, "");
            drop(clusterConnection, " ON CLUSTER " + clusterName);
            schema.apply(singleConnection);
            schema.apply(clusterConnection);
            String distributed = cluster.qualify(PredictionsTable.NAME);
            String local = cluster.qualify(cluster.insertTable(PredictionsTable.NAME));
            int[] sequence = {0};
            for (int round = 1; round <= rounds; round++) {
                record(rates, "single", writer(singleConnection, schema, dir, window, "s" + round + "_", sequence));
                record(rates, "cluster_local", writer(clusterConnection, schema, dir, window, "c" + round + "_", sequence));
                record(rates, "single_plain", plain(singleConnection, single.qualify(PredictionsTable.NAME), batch, window, sequence));
                record(rates, "cluster_local_plain", plain(clusterConnection, local, batch, window, sequence));
                record(rates, "cluster_distributed_plain", plain(clusterConnection, distributed, batch, window, sequence));
                System.out.println("round " + round + ": " + rates);
            }
            // every event offered by the writers landed once: nothing lost to the cluster's replication
            System.out.println("single rows " + singleConnection.count(single.qualify(PredictionsTable.NAME), "1")
                    + ", cluster rows " + clusterConnection.count(distributed, "1"));
            write(rates);
            // a big drop may outlast the timeout on a loaded machine: the figures are written already
            try {
                drop(singleConnection, "");
                drop(clusterConnection, " ON CLUSTER " + clusterName);
            } catch (IOException e) {
                System.out.println("could not drop " + DATABASE + " (drop it by hand): " + e.getMessage());
            }
        }
    }

    private static void write(Map<String, List<Double>> rates) throws IOException {
        try (FileWriter out = new FileWriter(System.getProperty("bench.out"), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<Double>> mode : rates.entrySet()) {
                List<Double> sorted = new ArrayList<>(mode.getValue());
                sorted.sort(Double::compare);
                out.write(mode.getKey() + "_events_per_s=" + Math.round(sorted.get(sorted.size() / 2)) + "\n");
                out.write(mode.getKey() + "_all=" + mode.getValue().stream().map(r -> Long.toString(Math.round(r)))
                        .reduce((a, b) -> a + " " + b).orElse("") + "\n");
            }
        }
    }

    private static void record(Map<String, List<Double>> rates, String mode, double rate) {
        rates.computeIfAbsent(mode, m -> new ArrayList<>()).add(rate);
    }

    /** Events/s through the gateway's writer: offered flat out for the window, then closed; landed rows / elapsed. */
    private static double writer(ClickHouseConnection connection, ClickHouseSchema schema, Path dir, Duration window,
                                 String prefix, int[] sequence) throws Exception {
        String table = connection.settings().qualify(PredictionsTable.NAME);
        long before = connection.count(table, "1");
        Path spool = Files.createDirectories(dir.resolve(prefix + "spool"));
        BatchWriter<PredictionEvent> writer = BatchWriter.start(connection, schema, PredictionEventEncoder::new,
                WriterSettings.defaults(spool), new SimpleMeterRegistry());
        long start = System.nanoTime();
        long end = start + window.toNanos();
        while (System.nanoTime() < end) {
            if (!writer.offer(event(sequence[0]))) {
                Thread.sleep(1); // queue full: the writer is the bottleneck, as it should be here; leave the cores to it
                continue;
            }
            sequence[0]++;
        }
        writer.close(Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - start) / 1e9;
        return (connection.count(table, "1") - before) / seconds;
    }

    /** Events/s of plain INSERTs of {@code batch} encoded events, one after the other, for the window. */
    private static double plain(ClickHouseConnection connection, String table, int batch, Duration window, int[] sequence)
            throws Exception {
        PredictionEventEncoder encoder = new PredictionEventEncoder();
        long rows = 0;
        long start = System.nanoTime();
        long end = start + window.toNanos();
        while (System.nanoTime() < end) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(batch * 512);
            for (int i = 0; i < batch; i++) {
                encoder.encode(event(sequence[0]++), out);
            }
            connection.insert(table, encoder.format(), new ByteArrayInputStream(out.toByteArray()));
            rows += batch;
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    /** A prediction of the demo model: 12 features, one output; a distinct id per event. */
    private static PredictionEvent event(int i) {
        List<String> features = List.of("amount", "account_age_days", "tx_count_24h", "avg_amount_30d", "distance_from_home_km",
                "is_foreign", "hour_of_day", "merchant_risk", "card_present", "failed_logins_7d", "device_age_days", "velocity_ratio");
        double[] values = new double[features.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = (i + k) % 97 + 0.5;
        }
        String id = "bench-" + i;
        return new PredictionEvent(id, "req-" + i, System.currentTimeMillis(), "fraud-score", "1", "", "v1", "v1",
                PredictionEvent.ROLE_PRIMARY, "default", "u" + (i % 1000), 200, "", 1.2, 0.9, 1, features, values,
                List.of("fraud_probability"), new double[] {0.1}, 0.1,
                "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8), "bench", List.of(), "rest", "");
    }

    private static void drop(ClickHouseConnection connection, String onCluster) throws IOException {
        try {
            connection.execute("DROP DATABASE IF EXISTS " + DATABASE + onCluster);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
