package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.admin.AdminRoutes;
import dev.modelgate.gateway.alerts.AlertChannel;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.QualityConfig;
import dev.modelgate.gateway.telemetry.FeedbackTable;
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
 * The quality monitor wired to the gateway's ClickHouse, alert channels and metrics. Its tables
 * ({@link QualityTables#ALL}) are created with the event logs; reports go through the gateway's
 * no-loss batch writer like every other row.
 */
public final class QualityService implements AutoCloseable {

    private final ClickHouseConnection clickHouse;
    private final QualityMonitor monitor;
    private final QualityAdminRoutes routes;

    private QualityService(ClickHouseConnection clickHouse, QualityMonitor monitor, QualityAdminRoutes routes) {
        this.clickHouse = clickHouse;
        this.monitor = monitor;
        this.routes = routes;
    }

    /**
     * Builds the monitor without contacting ClickHouse; {@link #start()} begins the schedule.
     *
     * @param reports the no-loss writer of {@link #reportEncoder()}'s table; never blocks
     * @param isLeader whether this replica runs the schedule
     */
    public static QualityService create(GatewayConfig config, ClickHouseConnection events, Consumer<QualityReportRow> reports,
                                        MeterRegistry registry, List<AlertChannel> channels, BooleanSupplier isLeader) {
        QualityConfig quality = config.quality();
        ClickHouseConnection clickHouse = ClickHouseConnection.open(events.settings().withOperationTimeout(quality.queryTimeout()));
        List<QualityTarget> targets = new ArrayList<>();
        for (ModelConfig model : config.models().values()) {
            model.quality().ifPresent(spec -> model.variants().keySet().forEach(v -> targets.add(new QualityTarget(model.name(), v, spec))));
        }
        QualityReader reader = new QualityReader(clickHouse, new QualityQueries(clickHouse.settings().qualify(PredictionsTable.NAME),
                clickHouse.settings().qualify(FeedbackTable.NAME)), quality.bootstrapReplicates());
        BaselineStore baselines = new BaselineStore(clickHouse);
        QualityGauges gauges = new QualityGauges(registry);
        QualityAlerts alerts = new QualityAlerts(channels, config.alerts().resendInterval(), config.alerts().dashboardUrlTemplate(),
                Clock.systemUTC());
        String instanceId = config.instanceId();
        Consumer<QualityRun> listener = run -> {
            QualityReports.rows(run, instanceId).forEach(reports);
            gauges.accept(run);
            alerts.accept(run);
        };
        QualityHistory history = new QualityHistory(clickHouse);
        QualityMonitor monitor = new QualityMonitor(targets, reader, baselines, history, quality, listener, isLeader, Clock.systemUTC());
        return new QualityService(clickHouse, monitor, new QualityAdminRoutes(monitor,
                new BaselineUploads(reader, baselines, quality.bootstrapReplicates(), Clock.systemUTC()), history));
    }

    /** The encoder of {@code quality_reports} rows, for the gateway's batch writer. */
    public static RowEncoder<QualityReportRow> reportEncoder() {
        return new QualityReportEncoder();
    }

    public void start() {
        monitor.start();
    }

    public AdminRoutes adminRoutes() {
        return routes;
    }

    @Override
    public void close() {
        monitor.close();
        clickHouse.close();
    }
}
