package dev.modelgate.gateway.analysis;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.telemetry.ExperimentResultEncoder;
import dev.modelgate.gateway.telemetry.ExperimentResultRow;
import dev.modelgate.gateway.telemetry.batch.RowEncoder;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Experiment analysis wired to the gateway: the results endpoint (every replica) and the periodic job
 * (leader only) that stores results in {@code experiment_results}. Without ClickHouse (telemetry
 * disabled) the endpoint answers 503 and the job does not run.
 */
public final class ExperimentAnalysis implements AutoCloseable {

    /** Default period of the job; results barely move faster than this, and each run scans the experiment's traffic. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private final ResultsService results;
    private final AnalysisJob job;
    private final Optional<ClickHouseConnection> queries;

    private ExperimentAnalysis(ResultsService results, AnalysisJob job, Optional<ClickHouseConnection> queries) {
        this.results = results;
        this.job = job;
        this.queries = queries;
    }

    /**
     * Starts the job (when ClickHouse is configured).
     *
     * @param events       the gateway's ClickHouse (its deadline is the writer's); empty with telemetry disabled
     * @param rows         the no-loss writer of {@link #resultEncoder()}'s table; never blocks
     * @param isLeader     whether this replica runs the job
     * @param queryTimeout deadline of one results query
     */
    public static ExperimentAnalysis start(Vertx vertx, ExperimentStore store, Optional<ClickHouseConnection> events,
                                           Consumer<ExperimentResultRow> rows, MeterRegistry registry, BooleanSupplier isLeader,
                                           Duration interval, Duration queryTimeout, String instanceId) {
        // the same server with its own deadline: a results query aggregates every unit of the experiment,
        // which under load takes far longer than the insert deadline allows
        Optional<ClickHouseConnection> queries = events.map(e -> ClickHouseConnection.open(e.settings().withOperationTimeout(queryTimeout)));
        ResultsService results = new ResultsService(store, queries.map(UnitAggregation::new), new ExperimentAnalyzer(),
                new SrmGauges(registry), Clock.systemUTC());
        AnalysisJob job = queries.isPresent() ? new AnalysisJob(vertx, results, rows, isLeader, interval, instanceId) : null;
        return new ExperimentAnalysis(results, job, queries);
    }

    /** The encoder of {@code experiment_results} rows, for the gateway's batch writer. */
    public static RowEncoder<ExperimentResultRow> resultEncoder() {
        return new ExperimentResultEncoder();
    }

    /** The results endpoint and the stored history (runs, decisions) beside it. */
    public AdminRoutes adminRoutes() {
        AdminRoutes current = new ResultsAdminRoutes(results);
        AdminRoutes history = new HistoryAdminRoutes(queries);
        return router -> {
            current.mount(router);
            history.mount(router);
        };
    }

    /** Stops the job; queued rows are flushed by their writer's owner. */
    @Override
    public void close() {
        if (job != null) {
            job.close();
        }
        queries.ifPresent(ClickHouseConnection::close);
    }
}
