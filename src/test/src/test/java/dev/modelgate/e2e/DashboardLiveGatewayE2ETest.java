package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.e2e.dashboards.ClickHouseMacros;
import dev.modelgate.e2e.dashboards.GrafanaDashboard;
import dev.modelgate.e2e.dashboards.PrometheusRules;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboards and alert rules against a real gateway: one gateway process logs demo traffic,
 * including caller errors, into a database of its own; then every ClickHouse query of every Grafana
 * dashboard runs as the plugin would send it and must return the columns its panel shows, with numbers
 * that match the traffic sent, and every metric gateway.yml alerts on must be on the gateway's /metrics.
 * <p>
 * The dashboards name their database through the {@code database} template variable (default
 * {@code modelgate}); this test sets it to its own database, exactly as a user would pick one. Macros and
 * variables are expanded by {@link ClickHouseMacros} (its Javadoc lists the expansions); variables are
 * resolved the way Grafana does, by running each variable's query in order and selecting all its values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLiveGatewayE2ETest {

    private static final Path DASHBOARDS = GatewayProcess.REPO.resolve("dashboards");
    private static final String INSTANCE_ID = "e2e-dashboards";
    private static final int SERVED = 30;
    private static final int MALFORMED = 3;
    private static final int WRONG_SHAPE = 2;
    private static final int LOGGED = SERVED + MALFORMED + WRONG_SHAPE;
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    /** The columns each panel's visualisation and field overrides are built on, by panel title. */
    private static final Map<String, List<String>> PANEL_COLUMNS = Map.of(
            "Traffic per model and variant", List.of("time", "model_variant", "requests_per_second"),
            "Error rate", List.of("time", "model_variant", "error_ratio_5xx", "error_ratio_4xx"),
            "Top errors", List.of("status", "error", "requests", "last_seen"),
            "Latency p50/p95/p99", List.of("time", "model_variant", "p50", "p95", "p99"),
            "Requests within 250 ms (SLO 99%)", List.of("model", "within_250ms"),
            "Logged rows per minute per gateway instance", List.of("time", "instance_id", "rows_per_minute"),
            "Last logged row per instance", List.of("instance_id", "last_row_at", "seconds_since_last_row", "rows"));

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_dashboards");
    private GatewayProcess gateway;
    private InferApi api;
    private Instant trafficStart;

    @BeforeAll
    void startGatewayAndSendTraffic() throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-dashboards");
        gateway = GatewayProcess.start(TestConfigs.demo(workDir, 200, ""), Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", INSTANCE_ID), workDir);
        api = new InferApi(gateway.base);
        trafficStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Random random = new Random(7);
        for (int i = 0; i < SERVED; i++) {
            expectStatus(200, InferApi.fraudRequest(ServeAndLogE2ETest.randomTransaction(random), "user-" + (i % 5)));
        }
        for (int i = 0; i < MALFORMED; i++) {
            expectStatus(400, "{\"inputs\": [");
        }
        for (int i = 0; i < WRONG_SHAPE; i++) {
            expectStatus(400, InferApi.fraudRequest(new float[] {1, 2, 3}, null));
        }
        assertThat(clickHouse.awaitCount(database + ".predictions", n -> n >= LOGGED, Duration.ofSeconds(10)))
                .as("rows logged for the traffic sent").isEqualTo(LOGGED);
    }

    private void expectStatus(int status, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = api.post("/v2/models/fraud-score/infer", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    @Test
    void everyDashboardQueryRunsOnClickHouseAndReturnsTheColumnsItsPanelShows() throws Exception {
        List<Path> files = dashboardFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            GrafanaDashboard dashboard = GrafanaDashboard.load(file);
            ClickHouseMacros macros = new ClickHouseMacros(resolveVariables(dashboard));
            for (GrafanaDashboard.PanelQuery query : dashboard.panelQueries()) {
                String where = dashboard.title() + " / " + query.panel() + " / " + query.refId();
                assertThat(PANEL_COLUMNS).as("expected columns for %s: add them to PANEL_COLUMNS", where).containsKey(query.panel());
                List<JsonNode> rows = clickHouse.rows(macros.expand(query.rawSql()));
                assertThat(rows).as(where).isNotEmpty();
                for (JsonNode row : rows) {
                    List<String> columns = new ArrayList<>();
                    row.fieldNames().forEachRemaining(columns::add);
                    assertThat(columns).as(where).isEqualTo(PANEL_COLUMNS.get(query.panel()));
                }
            }
        }
    }

    @Test
    void modelAndVariantPickersOfferWhatWasServedIncludingRequestsRejectedBeforeRouting() throws Exception {
        ClickHouseMacros.Scope scope = resolveVariables(overview());
        assertThat(scope.variables().get("model")).containsExactly("fraud-score");
        // the malformed requests never reached a variant: they are logged with an empty one
        assertThat(scope.variables().get("variant")).containsExactly("", "v1");
    }

    @Test
    void trafficAndErrorPanelsAddUpToTheRequestsSent() throws Exception {
        Map<String, List<JsonNode>> panels = runOverview();

        double requests = panels.get("Traffic per model and variant").stream()
                .mapToDouble(row -> row.get("requests_per_second").asDouble() * INTERVAL.toSeconds()).sum();
        assertThat(requests).isCloseTo(LOGGED, within(1e-9));

        for (JsonNode row : panels.get("Error rate")) {
            assertThat(row.get("error_ratio_5xx").asDouble()).as(row.toString()).isZero();
            if (row.get("model_variant").asText().equals("fraud-score / (unrouted)")) {
                assertThat(row.get("error_ratio_4xx").asDouble()).as(row.toString()).isEqualTo(1.0);
            }
        }
        assertThat(panels.get("Error rate")).extracting(row -> row.get("model_variant").asText())
                .contains("fraud-score / v1", "fraud-score / (unrouted)");

        Map<String, Integer> errors = new LinkedHashMap<>();
        for (JsonNode row : panels.get("Top errors")) {
            assertThat(row.get("status").asInt()).isEqualTo(400);
            errors.put(row.get("error").asText(), row.get("requests").asInt());
        }
        assertThat(errors.values()).containsExactly(MALFORMED, WRONG_SHAPE);
        assertThat(new ArrayList<>(errors.keySet()).get(0)).startsWith("malformed JSON");
        assertThat(new ArrayList<>(errors.keySet()).get(1)).contains("shape");
    }

    @Test
    void latencyPanelsShowOrderedQuantilesAndTheSloShareOfTheModel() throws Exception {
        Map<String, List<JsonNode>> panels = runOverview();
        for (JsonNode row : panels.get("Latency p50/p95/p99")) {
            double p50 = row.get("p50").asDouble();
            double p95 = row.get("p95").asDouble();
            double p99 = row.get("p99").asDouble();
            assertThat(p50).as(row.toString()).isPositive().isLessThanOrEqualTo(p95);
            assertThat(p95).as(row.toString()).isLessThanOrEqualTo(p99);
        }
        JsonNode slo = panels.get("Requests within 250 ms (SLO 99%)").get(0);
        assertThat(slo.get("model").asText()).isEqualTo("fraud-score");
        assertThat(slo.get("within_250ms").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void loggingHealthPanelsAccountForEveryRowOfTheInstance() throws Exception {
        Map<String, List<JsonNode>> panels = runOverview();
        long perMinute = panels.get("Logged rows per minute per gateway instance").stream()
                .filter(row -> row.get("instance_id").asText().equals(INSTANCE_ID))
                .mapToLong(row -> row.get("rows_per_minute").asLong()).sum();
        assertThat(perMinute).isEqualTo(LOGGED);

        JsonNode last = panels.get("Last logged row per instance").get(0);
        assertThat(last.get("instance_id").asText()).isEqualTo(INSTANCE_ID);
        assertThat(last.get("rows").asLong()).isEqualTo(LOGGED);
        assertThat(last.get("seconds_since_last_row").asLong()).isBetween(0L, 120L);
    }

    @Test
    void everyMetricTheGatewayAlertsUseIsOnTheGatewaysMetricsEndpoint() throws Exception {
        Set<String> exposed = new HashSet<>();
        for (String line : api.get("/metrics").body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> used = PrometheusRules.load(DASHBOARDS.resolve("prometheus/rules/gateway.yml")).scrapedMetricNames();
        assertThat(used).isNotEmpty();
        assertThat(exposed).as("series on /metrics").containsAll(used);
    }

    private GrafanaDashboard overview() throws IOException {
        return GrafanaDashboard.load(DASHBOARDS.resolve("grafana/dashboards/gateway-overview.json"));
    }

    private Map<String, List<JsonNode>> runOverview() throws Exception {
        GrafanaDashboard dashboard = overview();
        ClickHouseMacros macros = new ClickHouseMacros(resolveVariables(dashboard));
        Map<String, List<JsonNode>> rowsByPanel = new LinkedHashMap<>();
        for (GrafanaDashboard.PanelQuery query : dashboard.panelQueries()) {
            rowsByPanel.put(query.panel(), clickHouse.rows(macros.expand(query.rawSql())));
        }
        return rowsByPanel;
    }

    /** As Grafana does on load: each query variable in order, all of its options selected ("All"). */
    private ClickHouseMacros.Scope resolveVariables(GrafanaDashboard dashboard) throws IOException, InterruptedException {
        ClickHouseMacros.Scope scope = new ClickHouseMacros.Scope(trafficStart.minus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofMinutes(1)), INTERVAL, Map.of("database", List.of(database)));
        for (GrafanaDashboard.VariableQuery variable : dashboard.variables()) {
            List<String> values = new ArrayList<>();
            for (JsonNode row : clickHouse.rows(new ClickHouseMacros(scope).expand(variable.rawSql()))) {
                values.add(row.elements().next().asText());
            }
            assertThat(values).as("options of variable %s in %s", variable.name(), dashboard.title()).isNotEmpty();
            scope = scope.withVariable(variable.name(), values);
        }
        return scope;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DASHBOARDS.resolve("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
