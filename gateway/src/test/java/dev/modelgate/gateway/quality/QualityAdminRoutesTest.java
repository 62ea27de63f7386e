package dev.modelgate.gateway.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.config.QualityConfig;
import dev.modelgate.gateway.config.QualitySpec;
import dev.modelgate.gateway.drift.DriftWindow;
import dev.modelgate.statistics.quality.MetricEstimate;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.statistics.quality.Task;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The quality admin routes on a real ClickHouse: clear 4xx answers for bad baselines and unmonitored
 * models, a replica that did not run the variants answers from the stored reports, and one that
 * takes over continues the stored alert streaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityAdminRoutesTest {

    private static final QualitySpec SPEC = new QualitySpec(Task.BINARY_CLASSIFICATION, "chargeback", 0.5, "", 0, Duration.ZERO,
            Duration.ofMinutes(60), "roc_auc", 10);
    private static final QualityConfig CONFIG = new QualityConfig(false, Duration.ofMinutes(5), 200, 2, 2, 0.01, 50, Duration.ofSeconds(10));
    private static final List<QualityTarget> TARGETS = List.of(new QualityTarget("fraud", "v1", SPEC), new QualityTarget("fraud", "v2", SPEC));

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private TestClickHouse clickHouse;
    private Vertx vertx;
    private URI runner;
    private URI follower;

    @BeforeAll
    void start() throws Exception {
        clickHouse = TestClickHouse.empty();
        new ClickHouseSchema(List.of(PredictionsTable.DEFINITION, FeedbackTable.DEFINITION, QualityTables.QUALITY_REPORTS,
                QualityTables.QUALITY_BASELINES)).apply(clickHouse.connection());
        vertx = Vertx.vertx();
        runner = serve(TARGETS);
        follower = serve(TARGETS);
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        clickHouse.close();
    }

    @Test
    void badBaselinesAreRefusedWithTheReason() throws Exception {
        assertThat(error(send(runner, "PUT", "/quality/baseline", "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-02T00:00:00Z\","
                + " \"rows\": []}"), 400)).contains("either");
        assertThat(error(send(runner, "PUT", "/quality/baseline", "{\"rows\": []}"), 400)).contains("non-empty");
        assertThat(error(send(runner, "PUT", "/quality/baseline", "{\"rows\": [{\"score\": 0.4, \"label\": 2}]}"), 400))
                .contains("rows[0].label must be 0 or 1");
        assertThat(error(send(runner, "PUT", "/quality/baseline", "{\"from\": \"yesterday\", \"to\": \"2026-01-02T00:00:00Z\"}"), 400))
                .contains("ISO-8601");
        assertThat(error(send(runner, "PUT", "/quality/baseline", "[1, 2]"), 400)).contains("JSON object");
        assertThat(error(send(runner, "PUT", "/quality/baseline?variant=v9", "{\"rows\": [{\"score\": 0.4, \"label\": 1}]}"), 404))
                .contains("v9");
        assertThat(error(send(runner.resolve("/admin/models/other/quality"), "GET", "", null), 404)).contains("models.other.quality");
    }

    @Test
    void aReplicaThatDidNotRunTheVariantsAnswersFromTheStoredReports() throws Exception {
        HttpResponse<String> stored = send(runner, "PUT", "/quality/baseline?variant=v1",
                "{\"rows\": [{\"score\": 0.9, \"label\": 1}, {\"score\": 0.2, \"label\": 0}, {\"score\": 0.6, \"label\": 0}]}");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(json.readTree(stored.body()).at("/baselines/0/metrics/roc_auc/value").asDouble()).isEqualTo(1.0);

        JsonNode run = json.readTree(send(runner, "POST", "/quality/run", "").body());
        assertThat(run.at("/variants/0/alert/verdict").asText()).isEqualTo("unknown");
        assertThat(run.at("/variants/0/alert/reason").asText()).contains("too few labelled rows: 0");
        assertThat(run.at("/variants/1/alert/reason").asText()).contains("no baseline");
        assertThat(json.readTree(send(runner, "GET", "/quality", null).body()).get("source").asText()).isEqualTo("memory");

        JsonNode fromStore = json.readTree(send(follower, "GET", "/quality", null).body());
        assertThat(fromStore.get("source").asText()).isEqualTo("clickhouse");
        assertThat(fromStore.get("variants")).hasSize(2);
        assertThat(fromStore.at("/variants/0/alert/verdict").asText()).isEqualTo("unknown");
        assertThat(fromStore.at("/variants/0/alert/reason").asText()).contains("too few labelled rows");
        assertThat(fromStore.at("/variants/0/estimated_current/metrics/roc_auc/n").asLong()).isZero();
    }

    @Test
    void aNewReplicaContinuesTheStoredStreakInsteadOfStartingAfresh() throws Exception {
        QualityTarget target = new QualityTarget("restored", "v1", SPEC);
        QualityReportEncoder encoder = new QualityReportEncoder();
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            MetricEstimate tested = new MetricEstimate(0.6, Double.NaN, Double.NaN, Double.NaN, 400);
            encoder.encode(new QualityReportRow(Instant.now().minusSeconds(60 - i), "earlier-" + i, "restored", "v1",
                    "binary_classification", QualityReports.VERDICT, "roc_auc", tested, new DriftWindow(Instant.now().minusSeconds(3_600),
                    Instant.now()), 0.83, 1e-6, "degraded", i == 0 ? "pending" : "firing", i == 0 ? "none" : "fired", "", "other", List.of()),
                    rows);
        }
        clickHouse.connection().insertJsonEachRow(clickHouse.settings().qualify(QualityTables.QUALITY_REPORTS.name()),
                new ByteArrayInputStream(rows.toByteArray()));

        JsonNode run = json.readTree(send(serve(List.of(target)), "POST", "/quality/run", "").body());

        // no baseline here: the window is unknown, which neither fires nor resolves the restored alert
        assertThat(run.at("/variants/0/alert/verdict").asText()).isEqualTo("unknown");
        assertThat(run.at("/variants/0/alert/state").asText()).isEqualTo("firing");
        assertThat(run.at("/variants/0/alert/transition").asText()).isEqualTo("none");
    }

    /** One replica's routes; its reports are encoded as the batch writer would and inserted at once. */
    private URI serve(List<QualityTarget> targets) throws Exception {
        QualityReader reader = new QualityReader(clickHouse.connection(), new QualityQueries(clickHouse.predictions(),
                clickHouse.settings().qualify(FeedbackTable.NAME)), 50);
        BaselineStore baselines = new BaselineStore(clickHouse.connection());
        QualityReportEncoder encoder = new QualityReportEncoder();
        QualityHistory history = new QualityHistory(clickHouse.connection());
        QualityMonitor monitor = new QualityMonitor(targets, reader, baselines, history, CONFIG, run -> {
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            try {
                for (QualityReportRow row : QualityReports.rows(run, "test")) {
                    encoder.encode(row, rows);
                }
                clickHouse.connection().insertJsonEachRow(clickHouse.settings().qualify(QualityTables.QUALITY_REPORTS.name()),
                        new ByteArrayInputStream(rows.toByteArray()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> false, Clock.systemUTC());
        Router router = Router.router(vertx);
        router.route("/admin/*").handler(BodyHandler.create(false));
        new QualityAdminRoutes(monitor, new BaselineUploads(reader, baselines, 50, Clock.systemUTC()), history)
                .mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/admin/models/" + targets.get(0).model());
    }

    private HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
        URI uri = path.isEmpty() ? base : URI.create(base + path);
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body()).get("error").asText();
    }
}
