package dev.modelgate.gateway.drift;

import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.config.DriftConfig;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, not a test: one drift run of 30 features over 1,000,000 logged predictions in the last
 * hour, against the ClickHouse at {@code MODELGATE_CLICKHOUSE_URL}. Target: at most 5 s per run here.
 *
 * <pre>
 * mvn -o -q -B -pl gateway package -DskipTests &amp;&amp; mvn -o -q -B -pl gateway test-compile
 * java -cp gateway/target/modelgate.jar:gateway/target/test-classes dev.modelgate.gateway.drift.DriftRunBenchmark [rows]
 * </pre>
 */
public final class DriftRunBenchmark {

    private static final int FEATURES = 30;
    /** The last features are 0/1 flags, compared as categories; the others are continuous on [0, 100). */
    private static final int BINARY_FROM = 25;
    private static final long CHUNK = 100_000;

    private DriftRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            names.add("f" + i);
        }
        try (TestClickHouse clickHouse = TestClickHouse.withPredictionsTable()) {
            new ClickHouseSchema(DriftTables.ALL).apply(clickHouse.connection());
            long start = System.nanoTime();
            // in chunks, so that each INSERT stays well within the connection's 5 s operation timeout
            for (long offset = 0; offset < rows; offset += CHUNK) {
                clickHouse.connection().execute(insertSql(clickHouse.predictions(), names, offset, Math.min(CHUNK, rows - offset)));
            }
            System.out.printf("inserted %,d predictions x %d features in %.1f s%n", rows, FEATURES, seconds(start));

            ReferenceBuilder reference = new ReferenceBuilder(names, new Random(1));
            Random random = new Random(2);
            for (int r = 0; r < 5_000; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < FEATURES; i++) {
                    // the first three features are shifted in the reference, so the run has drift to find
                    double shift = i < 3 ? 10 : 0;
                    row.put(names.get(i), i >= BINARY_FROM ? random.nextInt(2) : random.nextDouble() * 100 + shift);
                }
                reference.accept(row);
            }
            DriftTarget target = new DriftTarget("bench", "v1", names, List.of());
            ReferenceStore store = new ReferenceStore(clickHouse.connection(), Clock.systemUTC());
            store.save("bench", "v1", "benchmark", 5_000, reference.build());

            DriftConfig config = new DriftConfig(false, Duration.ofMinutes(5), Duration.ofHours(1), 100, 2, 2, 0.5, 5_000, Map.of(),
                    Duration.ofSeconds(60));
            try (ClickHouseConnection queries = ClickHouseConnection.open(clickHouse.settings().withOperationTimeout(config.queryTimeout()));
                 DriftMonitor monitor = new DriftMonitor(List.of(target), store,
                    new WindowReader(queries, new PredictionQueries(clickHouse.predictions()), config.sampleRows()),
                    VerdictHistory.NONE, config, row -> { }, new DriftMetrics(new SimpleMeterRegistry()), run -> { }, () -> true, Clock.systemUTC(),
                    "bench")) {
                for (int attempt = 1; attempt <= 3; attempt++) {
                    long t = System.nanoTime();
                    DriftRun run = monitor.runNow("bench").get(120, TimeUnit.SECONDS).get(0);
                    double elapsed = seconds(t);
                    long drifted = run.dataset().map(d -> d.driftedCount()).orElse(-1L);
                    long n = run.dataset().map(d -> d.smallestCurrentSize()).orElse(0L);
                    System.out.printf("run %d: %.2f s, verdict %s, %d of %d features drifted, %,d values per feature%s%n",
                            attempt, elapsed, run.verdictName(), drifted, FEATURES, n,
                            run.verdict() == WindowVerdict.UNKNOWN ? " (" + run.reason() + ")" : "");
                }
            }
        }
    }

    private static String insertSql(String table, List<String> names, long offset, long rows) {
        String nameArray = names.stream().map(n -> "'" + n + "'").reduce((a, b) -> a + ", " + b).orElseThrow();
        return "INSERT INTO " + table + " (event_date, event_time, event_time_ms, event_id, model, served_variant, role, status,"
                + " feature_names, feature_values, output_names, output_values)"
                + " SELECT toDate(t), t, toUInt64(t) * 1000, toString(number), 'bench', 'v1', 'primary', 200,"
                + " [" + nameArray + "],"
                + " arrayMap(i -> if(i >= " + BINARY_FROM + ", toFloat64(cityHash64(number, i) % 2),"
                + " (cityHash64(number, i) % 100000) / 1000.0), range(" + FEATURES + ")), [], []"
                + " FROM (SELECT number + " + offset + " AS number, now() - (number % 3000) AS t FROM numbers(" + rows + "))";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
