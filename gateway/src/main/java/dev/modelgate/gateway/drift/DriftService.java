package dev.modelgate.gateway.drift;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.batch.RowEncoder;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The drift monitor wired to the gateway's ClickHouse: reference store, window reader, scheduled
 * monitor and admin routes. The tables ({@link DriftTables#ALL}) and the report writer come from the
 * gateway's event logs, so reports get the same no-loss path (spool, replay) as predictions.
 */
public final class DriftService implements AutoCloseable {

    private final ClickHouseConnection queries;
    private final DriftMonitor monitor;
    private final DriftAdminRoutes routes;

    private DriftService(ClickHouseConnection queries, DriftMonitor monitor, DriftAdminRoutes routes) {
        this.queries = queries;
        this.monitor = monitor;
        this.routes = routes;
    }

    /**
     * Builds the monitor without contacting ClickHouse; {@link #start()} begins the schedule.
     *
     * @param reports the no-loss writer of {@link #reportEncoder()}'s table; never blocks
     * @param listener told about every run (the alert dispatcher)
     * @param isLeader whether this replica runs the schedule (a fleet's lease; {@code () -> true} alone)
     */
    public static DriftService create(GatewayConfig config, ModelRegistry models, ClickHouseConnection events,
                                      Consumer<DriftReportRow> reports, MeterRegistry registry, DriftRunListener listener,
                                      BooleanSupplier isLeader) {
        // the same server with a longer deadline: a window query scans what the inserts wrote in an hour
        ClickHouseConnection clickHouse = ClickHouseConnection.open(events.settings().withOperationTimeout(config.drift().queryTimeout()));
        List<DriftTarget> targets = new ArrayList<>();
        FeatureColumns naming = new FeatureColumns(config.telemetry().rowCaps().nameBytes());
        for (ServedModel model : models.models()) {
            model.variants().values().forEach(variant -> targets.add(DriftTarget.of(model, variant, naming)));
        }
        PredictionQueries queries = new PredictionQueries(clickHouse.settings().qualify(PredictionsTable.NAME));
        ReferenceStore references = new ReferenceStore(clickHouse, Clock.systemUTC());
        ReportHistory history = new ReportHistory(clickHouse);
        DriftMonitor monitor = new DriftMonitor(targets, references,
                new WindowReader(clickHouse, queries, config.drift().sampleRows()), history, config.drift(), reports,
                new DriftMetrics(registry), listener, isLeader, Clock.systemUTC(), config.instanceId());
        return new DriftService(clickHouse, monitor,
                new DriftAdminRoutes(monitor, new ReferenceUploads(references, clickHouse, queries,
                        FeatureMasks.of(config.models().values(), config.privacy())), history));
    }

    /** The encoder of {@code drift_reports} rows, for the gateway's batch writer. */
    public static RowEncoder<DriftReportRow> reportEncoder() {
        return new DriftReportEncoder();
    }

    /** Starts the schedule (when {@code drift.enabled}). */
    public void start() {
        monitor.start();
    }

    public AdminRoutes adminRoutes() {
        return routes;
    }

    public DriftMonitor monitor() {
        return monitor;
    }

    /** Stops the schedule; queued reports are flushed by their writer's owner. */
    @Override
    public void close() {
        monitor.close();
        queries.close();
    }
}
