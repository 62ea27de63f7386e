package dev.modelgate.gateway.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.ExperimentMeta;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.experiments.spec.MetricSpec;
import dev.modelgate.experiments.spec.Variant;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.FaultyProxy;
import dev.modelgate.gateway.telemetry.FeedbackTable;
import dev.modelgate.gateway.telemetry.TestClickHouse;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The results query has its own deadline: a ClickHouse slower than the writer's insert deadline still
 * answers {@code GET /admin/experiments/{name}/results}, instead of a 503 "ClickHouse unavailable".
 */
class ResultsQueryTimeoutTest {

    private static final Duration INSERT_TIMEOUT = Duration.ofMillis(300);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(20);

    private TestClickHouse clickHouse;
    private FaultyProxy proxy;
    private ClickHouseConnection events;
    private Vertx vertx;
    private ExperimentAnalysis analysis;

    @BeforeEach
    void setUp() throws Exception {
        clickHouse = TestClickHouse.withPredictionsTable();
        new ClickHouseSchema(List.of(FeedbackTable.DEFINITION)).apply(clickHouse.connection());
        proxy = new FaultyProxy(clickHouse.port());
        events = ClickHouseConnection.open(clickHouse.settings().withUrl(proxy.url()).withOperationTimeout(INSERT_TIMEOUT));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (analysis != null) {
            analysis.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        events.close();
        proxy.close();
        clickHouse.close();
    }

    @Test
    void aResultsQuerySlowerThanTheInsertDeadlineIsStillAnswered() throws Exception {
        AbSpec spec = new AbSpec(new ExperimentMeta("exp", "m", "exp", ExperimentStatus.RUNNING, "v1",
                List.of(MetricSpec.conversion("converted"))), List.of(new Variant("v1", 50), new Variant("v2", 50)), List.of(), 0);
        InMemoryExperimentStore store = new InMemoryExperimentStore(List.of(StoredExperiment.created(spec, Instant.now(), "test")));
        analysis = ExperimentAnalysis.start(vertx, store, Optional.of(events), row -> { }, new SimpleMeterRegistry(), () -> false,
                Duration.ofHours(1), QUERY_TIMEOUT, "test");
        Router router = Router.router(vertx);
        analysis.adminRoutes().mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);

        proxy.holdNext(INSERT_TIMEOUT.multipliedBy(3), "assigned_variant");
        int status = vertx.createHttpClient()
                .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/admin/experiments/exp/results")
                .compose(request -> request.send())
                .map(response -> response.statusCode())
                .await(30, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(200);
        assertThat(proxy.deliveredLate()).as("the query was held past the insert deadline").isEqualTo(1);
    }
}
