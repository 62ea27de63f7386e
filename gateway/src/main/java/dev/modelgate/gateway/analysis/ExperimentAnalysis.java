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

    private ExperimentAnalysis(ResultsService results, AnalysisJob job) {
        this.results = results;
        this.job = job;
    }

    /**
     * Starts the job (when ClickHouse is configured).
     *
     * @param rows     the no-loss writer of {@link #resultEncoder()}'s table; never blocks
     * @param isLeader whether this replica runs the job
     */
    public static ExperimentAnalysis start(Vertx vertx, ExperimentStore store, Optional<ClickHouseConnection> clickHouse,
                                           Consumer<ExperimentResultRow> rows, MeterRegistry registry, BooleanSupplier isLeader,
                                           Duration interval, String instanceId) {
        ResultsService results = new ResultsService(store, clickHouse.map(UnitAggregation::new), new ExperimentAnalyzer(),
                new SrmGauges(registry), Clock.systemUTC());
        AnalysisJob job = clickHouse.isPresent() ? new AnalysisJob(vertx, results, rows, isLeader, interval, instanceId) : null;
        return new ExperimentAnalysis(results, job);
    }

    /** The encoder of {@code experiment_results} rows, for the gateway's batch writer. */
    public static RowEncoder<ExperimentResultRow> resultEncoder() {
        return new ExperimentResultEncoder();
    }

    public AdminRoutes adminRoutes() {
        return new ResultsAdminRoutes(results);
    }

    /** Stops the job; queued rows are flushed by their writer's owner. */
    @Override
    public void close() {
        if (job != null) {
            job.close();
        }
    }
}
