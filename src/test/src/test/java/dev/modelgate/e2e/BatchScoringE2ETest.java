package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batch scoring ({@code score --job}) end to end: the jar run as cron would run it, over a Parquet file and
 * a ClickHouse table generated here, through the demo model, next to a gateway serving the same
 * configuration online.
 *
 * <p>Rows per dataset: {@code -Dbatch.e2e.rows} (default 1,000,000, as the issue asks: measured here, the
 * Parquet test takes 15–27 s, the kill-and-resume 34–47 s and the SIGTERM one 20–44 s, 100–155 s for the
 * class depending on the neighbours' load).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchScoringE2ETest {

    private static final int ROWS = Integer.getInteger("batch.e2e.rows", 1_000_000);
    private static final String TOKEN = "batch-e2e-token";
    private static final List<String> FEATURES = DriftAlertE2ETest.FEATURES;
    /** Each feature is drawn uniformly from [0, scale), in FEATURES order (about the demo's ranges). */
    private static final double[] SCALES = {500, 3000, 20, 300, 200, 2, 24, 1, 2, 5, 1000, 3};

    private final ClickHouse clickHouse = new ClickHouse();
    private final ObjectMapper json = new ObjectMapper();
    private Path workDir;
    private Path config;
    private DemoGateway gateway;
    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        workDir = Files.createTempDirectory("modelgate-e2e-batch");
        Path model = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        String featureNames = "feature_names: {features: [" + String.join(", ", FEATURES) + "]}";
        config = workDir.resolve("gateway.yaml");
        Files.writeString(config, """
                models:
                  fraud-score:
                    timeout_ms: 5000
                    score_output: fraud_probability
                    default_variant: v1
                    variants:
                      v1: {version: "1", backend: {type: onnx, path: "%1$s", instances: 2, device: cpu}, %2$s}
                      v2: {version: "2", backend: {type: onnx, path: "%1$s", instances: 1, device: cpu}, %2$s}
                experiments:
                  specs:
                    - {name: fraud-ab, kind: ab, model: fraud-score, variants: [{name: v1, weight: 50}, {name: v2, weight: 50}]}
                telemetry:
                  spool_dir: "%3$s"
                """.formatted(model, featureNames, workDir.resolve("spool")));
        gateway = DemoGateway.start("e2e_batch", clickHouse, dir -> config, Map.of("MODELGATE_ADMIN_TOKEN", TOKEN));
        env = Map.of("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL, "MODELGATE_CLICKHOUSE_DATABASE", gateway.database);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void parquetThroughTheExperimentScoresEveryRowOnceAsTheOnlineEndpointWould() throws Exception {
        Path parquet = parquet("transactions.parquet", ROWS, Map.of());
        Path job = job("parquet.yaml", """
                id: parquet-ab
                model: fraud-score
                experiment: fraud-ab
                key_column: id
                unit_id_column: customer
                source: {type: parquet, path: "%s"}
                sink: {clickhouse_table: batch_predictions, folder: "%s"}
                """.formatted(parquet, workDir.resolve("results")));
        try (ScoreJob score = ScoreJob.start(config, job, env, workDir)) {
            assertThat(score.await(600)).as(score.err()).isZero();
            assertThat(json.readTree(score.out()).path("rows_scored").asLong()).isEqualTo(ROWS);
        }
        JsonNode counts = clickHouse.rows("SELECT count() AS n, uniqExact(row_key) AS keys, countIf(status = 'ok') AS ok,"
                + " countIf(variant = 'v2') AS v2 FROM " + gateway.database + ".batch_predictions WHERE job_id = 'parquet-ab'").get(0);
        assertThat(counts.path("n").asLong()).isEqualTo(ROWS);
        assertThat(counts.path("keys").asLong()).isEqualTo(ROWS);
        assertThat(counts.path("ok").asLong()).isEqualTo(ROWS);
        assertThat(counts.path("v2").asDouble() / ROWS).isBetween(0.45, 0.55); // a 50/50 split by customer
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet parts = sql.executeQuery("SELECT count(*), count(DISTINCT row_key) FROM read_csv('"
                     + workDir.resolve("results/parquet-ab") + "/part-*.csv')")) {
            parts.next();
            assertThat(parts.getLong(1)).isEqualTo(ROWS);
            assertThat(parts.getLong(2)).isEqualTo(ROWS);
        }
        // a sample of rows sent to the online endpoint with their unit id: same variant, same score
        for (JsonNode row : clickHouse.rows("SELECT row_key, unit_id, variant, score, feature_values FROM " + gateway.database
                + ".batch_predictions WHERE job_id = 'parquet-ab' ORDER BY cityHash64(row_key) LIMIT 25")) {
            float[] features = new float[FEATURES.size()];
            for (int i = 0; i < features.length; i++) {
                features[i] = (float) row.path("feature_values").get(i).asDouble();
            }
            HttpResponse<String> online = gateway.api.post("/v2/models/fraud-score/infer",
                    InferApi.fraudRequest(features, row.path("unit_id").asText()));
            assertThat(online.statusCode()).isEqualTo(200);
            assertThat(online.headers().firstValue("X-Variant")).as("variant of unit " + row.path("unit_id")).contains(row.path("variant").asText());
            // both are the model's FP32 output: equal as floats
            assertThat((float) json.readTree(online.body()).path("outputs").get(0).path("data").get(0).asDouble())
                    .as("score of row " + row.path("row_key")).isEqualTo((float) row.path("score").asDouble());
        }
    }

    /** {@code database.transactions}: ROWS rows generated by ClickHouse, created by the first test that needs it. */
    private synchronized String transactionsTable() throws Exception {
        String table = gateway.database + ".transactions";
        if (clickHouse.rows("EXISTS TABLE " + table).get(0).path("result").asInt() == 1) {
            return table;
        }
        clickHouse.execute("CREATE TABLE " + table + " (id UInt64, customer String, " + FEATURES.stream().map(f -> f + " Float64")
                .collect(Collectors.joining(", ")) + ") ENGINE = MergeTree() ORDER BY id");
        StringBuilder select = new StringBuilder("INSERT INTO " + table + " SELECT number, concat('customer-', toString(number % 50000))");
        for (int i = 0; i < FEATURES.size(); i++) {
            // rand(seed) per column: independent streams; scaled as the Parquet file's columns
            select.append(", (rand(").append(i).append(") % 1000000) / 1000000.0 * ").append(SCALES[i]);
        }
        clickHouse.execute(select + " FROM numbers(" + ROWS + ")");
        return table;
    }

    @Test
    void clickHouseTableKilledHalfWayAndResumedHoldsEveryRowExactlyOnce() throws Exception {
        Path job = clickHouseJob("clickhouse-crash");
        String results = gateway.database + ".batch_predictions WHERE job_id = 'clickhouse-crash'";
        try (ScoreJob first = ScoreJob.start(config, job, env, workDir)) {
            long written = clickHouse.awaitCount(results, n -> n >= ROWS / 3, Duration.ofSeconds(300));
            first.kill();
            assertThat(written).as("killed half-way").isBetween((long) ROWS / 3, (long) ROWS - 1);
        }
        assertThat(clickHouse.count(results)).as("rows the killed run left").isLessThan(ROWS);
        try (ScoreJob resumed = ScoreJob.start(config, job, env, workDir, "--resume")) {
            assertThat(resumed.await(600)).as(resumed.err()).isZero();
            assertThat(json.readTree(resumed.out()).path("rows_resumed").asLong()).isPositive();
        }
        JsonNode counts = clickHouse.rows("SELECT count() AS n, uniqExact(row_key) AS keys, countIf(status = 'ok') AS ok FROM " + results).get(0);
        assertThat(counts.path("n").asLong()).isEqualTo(ROWS);
        assertThat(counts.path("keys").asLong()).isEqualTo(ROWS);
        assertThat(counts.path("ok").asLong()).isEqualTo(ROWS);
        assertThat(clickHouse.rows("SELECT status, rows_done FROM " + gateway.database
                + ".jobs WHERE job_id = 'clickhouse-crash' ORDER BY updated_at_ms DESC LIMIT 1").get(0).path("status").asText())
                .isEqualTo("succeeded");
        // a second run of a finished job without --resume is refused: the id is taken
        try (ScoreJob again = ScoreJob.start(config, job, env, workDir)) {
            assertThat(again.await(120)).isEqualTo(1);
            assertThat(again.err()).contains("already ran (succeeded)");
        }
        // …and with --resume (a scheduler's retry after success) it succeeds at once, scoring nothing
        try (ScoreJob again = ScoreJob.start(config, job, env, workDir, "--resume")) {
            assertThat(again.await(120)).as(again.err()).isZero();
            assertThat(json.readTree(again.out()).path("rows_scored").asLong()).isZero();
        }
        assertThat(clickHouse.count(results)).isEqualTo(ROWS);
    }

    @Test
    void sigtermCancelsAfterTheChunkInHandAndTheJobResumes() throws Exception {
        Path job = clickHouseJob("sigterm");
        String results = gateway.database + ".batch_predictions WHERE job_id = 'sigterm'";
        try (ScoreJob first = ScoreJob.start(config, job, env, workDir)) {
            clickHouse.awaitCount(results, n -> n >= 10_000, Duration.ofSeconds(300));
            first.terminate();
            assertThat(first.await(120)).as(first.err()).isEqualTo(4);
        }
        assertThat(clickHouse.rows("SELECT status FROM " + gateway.database
                + ".jobs WHERE job_id = 'sigterm' ORDER BY updated_at_ms DESC LIMIT 1").get(0).path("status").asText()).isEqualTo("cancelled");
        assertThat(clickHouse.count(results) % 10_000).as("whole chunks only").isZero();
        try (ScoreJob resumed = ScoreJob.start(config, job, env, workDir, "--resume")) {
            assertThat(resumed.await(600)).as(resumed.err()).isZero();
        }
        assertThat(clickHouse.rows("SELECT count() AS n, uniqExact(row_key) AS keys FROM " + results).get(0).toString())
                .isEqualTo("{\"n\":\"" + ROWS + "\",\"keys\":\"" + ROWS + "\"}");
    }

    @Test
    void aJobSubmittedToTheRunningGatewayRunsAndReportsItsProgress() throws Exception {
        Path parquet = parquet("admin.parquet", 20_000, Map.of());
        ObjectNode spec = json.createObjectNode().put("id", "admin-job").put("model", "fraud-score").put("variant", "v1")
                .put("key_column", "id");
        spec.putObject("source").put("type", "parquet").put("path", parquet.toString());
        HttpResponse<String> submitted = gateway.api.admin(TOKEN, "e2e", "POST", "/admin/jobs", spec.toString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        assertThat(json.readTree(submitted.body()).path("id").asText()).isEqualTo("admin-job");
        JsonNode status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            status = json.readTree(gateway.api.admin(TOKEN, "e2e", "GET", "/admin/jobs/admin-job", null).body());
            if (status.path("status").asText().matches("succeeded|failed|cancelled")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("succeeded");
        assertThat(status.path("rows_done").asLong()).isEqualTo(20_000);
        assertThat(status.path("quality").path("status").asText()).isEqualTo("warn"); // v1 has no reference in this test
        assertThat(clickHouse.count(gateway.database + ".batch_predictions WHERE job_id = 'admin-job' AND variant = 'v1'")).isEqualTo(20_000);
        assertThat(gateway.api.get("/metrics").body()).contains("modelgate_job_rows_total{").contains("modelgate_jobs_finished_total{")
                .contains("modelgate_jobs_running");
        assertThat(gateway.api.admin(TOKEN, "e2e", "DELETE", "/admin/jobs/admin-job", null).statusCode()).isEqualTo(404);
        HttpResponse<String> invalid = gateway.api.admin(TOKEN, "e2e", "POST", "/admin/jobs",
                "{\"model\": \"fraud-score\", \"source\": {\"type\": \"parquet\", \"path\": \"x.parquet\"}}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json.readTree(invalid.body()).path("error").asText()).isEqualTo("key_column: is required");
        assertThat(gateway.api.admin(TOKEN, "e2e", "GET", "/admin/jobs/never-ran", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aColumnOfNaNStopsTheJobBeforeAnyRowIsScored() throws Exception {
        Path parquet = parquet("nan.parquet", 20_000, Map.of("merchant_risk", "CAST('NaN' AS DOUBLE)"));
        Path job = parquetJob("nan-column", "v1", parquet);
        try (ScoreJob score = ScoreJob.start(config, job, env, workDir)) {
            assertThat(score.await(300)).isEqualTo(3);
            assertThat(score.err()).contains("column 'merchant_risk' is missing (null or NaN) in 20000 of 20000 rows");
        }
        assertQualityFailureRecorded("nan-column", "merchant_risk");
    }

    @Test
    void aDriftedColumnStopsTheJobWithTheDriftReport() throws Exception {
        ObjectNode reference = json.createObjectNode();
        ArrayNode rows = reference.putArray("rows");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet drawn = sql.executeQuery("SELECT " + drawnFeatures(Map.of()) + " FROM range(5000)")) {
            while (drawn.next()) {
                ObjectNode row = rows.addObject();
                for (int i = 0; i < FEATURES.size(); i++) {
                    row.put(FEATURES.get(i), drawn.getDouble(i + 1));
                }
            }
        }
        HttpResponse<String> uploaded = gateway.api.admin(TOKEN, "e2e", "PUT", "/admin/models/fraud-score/reference?variant=v2",
                reference.toString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isIn(200, 201);
        Path drifted = parquet("drifted.parquet", 20_000, Map.of("amount", "random() * 5000"));
        Path job = parquetJob("drifted-amount", "v2", drifted);
        try (ScoreJob score = ScoreJob.start(config, job, env, workDir)) {
            assertThat(score.await(300)).as(score.err()).isEqualTo(3);
            assertThat(score.err()).contains("input drifted from the reference of variant 'v2'").contains("features: amount (");
        }
        assertQualityFailureRecorded("drifted-amount", "amount");
        // the same job over data drawn like the reference passes the check and scores
        Path clean = parquet("clean.parquet", 20_000, Map.of());
        try (ScoreJob score = ScoreJob.start(config, parquetJob("clean-amount", "v2", clean), env, workDir)) {
            assertThat(score.await(300)).as(score.err()).isZero();
        }
    }

    @Test
    void anInvalidJobSpecExitsWithTwoNamingTheKey() throws Exception {
        Path job = job("invalid.yaml", "model: fraud-score\nkey_column: id\nsource: {type: parquet, path: x.parquet}\nchunk_rows: 0\n");
        try (ScoreJob score = ScoreJob.start(config, job, env, workDir)) {
            assertThat(score.await(120)).isEqualTo(2);
            assertThat(score.err()).contains("invalid configuration: chunk_rows: must be between 1 and 200000, got 0");
        }
    }

    private void assertQualityFailureRecorded(String jobId, String column) throws Exception {
        JsonNode latest = clickHouse.rows("SELECT status, quality_status, quality_report, error FROM " + gateway.database
                + ".jobs WHERE job_id = '" + jobId + "' ORDER BY updated_at_ms DESC LIMIT 1").get(0);
        assertThat(latest.path("status").asText()).isEqualTo("failed");
        assertThat(latest.path("quality_status").asText()).isEqualTo("fail");
        assertThat(json.readTree(latest.path("quality_report").asText()).path("problems").toString()).contains(column);
        assertThat(clickHouse.count(gateway.database + ".batch_predictions WHERE job_id = '" + jobId + "'")).isZero();
    }

    /** A job scoring {@link #transactionsTable()} through v1 in chunks of 10,000 rows. */
    private Path clickHouseJob(String id) throws Exception {
        return job(id + ".yaml", """
                id: %s
                model: fraud-score
                variant: v1
                key_column: id
                source: {type: clickhouse, query: "SELECT * FROM %s"}
                chunk_rows: 10000
                """.formatted(id, transactionsTable()));
    }

    /** A job scoring a Parquet file through one variant, checks at their defaults. */
    private Path parquetJob(String id, String variant, Path parquet) throws Exception {
        return job(id + ".yaml", """
                id: %s
                model: fraud-score
                variant: %s
                key_column: id
                source: {type: parquet, path: "%s"}
                """.formatted(id, variant, parquet));
    }

    private Path job(String name, String yaml) throws Exception {
        return Files.writeString(workDir.resolve(name), yaml);
    }

    private static String drawnFeatures(Map<String, String> overrides) {
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < FEATURES.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(overrides.getOrDefault(FEATURES.get(i), "random() * " + SCALES[i]))
                    .append(" AS ").append(FEATURES.get(i));
        }
        return select.toString();
    }

    /** {@code rows} transactions (id, customer, the 12 features) written by DuckDB; {@code overrides}: column → expression. */
    private Path parquet(String name, int rows, Map<String, String> overrides) throws SQLException {
        Path file = workDir.resolve(name);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT i AS id, 'customer-' || (i % 50000) AS customer, " + drawnFeatures(overrides)
                    + " FROM range(" + rows + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        return file;
    }
}
