package dev.modelgate.gateway;

import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.TelemetryConfig;
import dev.modelgate.gateway.telemetry.batch.BatchWriter;
import dev.modelgate.gateway.telemetry.batch.RowEncoder;
import dev.modelgate.gateway.telemetry.batch.WriterSettings;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's ClickHouse: one connection, the schema of every table the gateway writes, and one
 * no-loss batch writer per table. Opening it creates the schema, but a ClickHouse that is down at start
 * does not stop the gateway: events go to the spool, and each writer creates the schema itself before
 * replaying them. With telemetry disabled nothing is written and {@link #clickHouse()} is empty.
 */
final class EventLogs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogs.class);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(20);

    private final ClickHouseConnection connection;
    private final ClickHouseSchema schema;
    /** Bound on the start-up schema on a cluster (see {@link #applyAtStart}). */
    static final Duration CLUSTER_SCHEMA_TIMEOUT = Duration.ofSeconds(60);

    private final WriterSettings settings;
    private final MeterRegistry registry;
    private final List<BatchWriter<?>> writers = new CopyOnWriteArrayList<>();

    private EventLogs(ClickHouseConnection connection, ClickHouseSchema schema, WriterSettings settings, MeterRegistry registry) {
        this.connection = connection;
        this.schema = schema;
        this.settings = settings;
        this.registry = registry;
    }

    static Future<EventLogs> open(Vertx vertx, GatewayConfig config, List<TableDefinition> tables, MeterRegistry registry) {
        TelemetryConfig telemetry = config.telemetry();
        if (!telemetry.enabled()) {
            LOG.warn("telemetry is disabled: requests are served but not logged");
            return Future.succeededFuture(new EventLogs(null, null, null, registry));
        }
        return vertx.executeBlocking(() -> {
            var clickHouse = config.clickhouse();
            ClickHouseConnection connection = ClickHouseConnection.open(new ClickHouseSettings(
                    clickHouse.url(), clickHouse.user(), clickHouse.password(), clickHouse.database(), telemetry.insertTimeout(),
                    new ClickHouseSettings.Tls(path(clickHouse.tls().caFile()), path(clickHouse.tls().certFile()),
                            path(clickHouse.tls().keyFile())), clickHouse.cluster()));
            ClickHouseSchema schema = new ClickHouseSchema(tables);
            try {
                applyAtStart(schema, connection);
            } catch (ClickHouseCallException e) {
                LOG.warn("ClickHouse at {} is not available ({}); events will be spooled until it is", clickHouse.url(), e.getMessage());
            }
            return new EventLogs(connection, schema, writerSettings(telemetry), registry);
        });
    }

    /**
     * On a cluster, each {@code ON CLUSTER} statement answers once every node has run it from the DDL queue,
     * which takes seconds on a busy cluster: at start (the only time there is much to create) the schema gets
     * {@link #CLUSTER_SCHEMA_TIMEOUT} rather than an insert's timeout, so the gateway opens with its tables
     * in place. Nothing is sent when they exist already, so a normal start does not wait.
     */
    private static void applyAtStart(ClickHouseSchema schema, ClickHouseConnection connection) throws ClickHouseCallException {
        ClickHouseSettings settings = connection.settings();
        if (!settings.clustered() || settings.operationTimeout().compareTo(CLUSTER_SCHEMA_TIMEOUT) >= 0) {
            schema.apply(connection);
            return;
        }
        try (ClickHouseConnection ddl = ClickHouseConnection.open(settings.withOperationTimeout(CLUSTER_SCHEMA_TIMEOUT))) {
            schema.apply(ddl);
        }
    }

    private static WriterSettings writerSettings(TelemetryConfig telemetry) {
        WriterSettings settings = WriterSettings.defaults(telemetry.spoolDir())
                .withBatchSize(telemetry.batchSize())
                .withBatchMaxBytes(telemetry.batchMaxBytes())
                .withFlushInterval(telemetry.flushInterval())
                .withQueueCapacity(telemetry.queueCapacity(), telemetry.queueMaxBytes())
                .withSpoolMaxBytes(telemetry.spoolMaxBytes())
                .withReplayBackoff(telemetry.replayBackoffMin(), telemetry.replayBackoffMax())
                .withStallTimeout(telemetry.stallTimeout());
        return telemetry.durability() == TelemetryConfig.Durability.WAL
                ? settings.withWriteAheadLog(telemetry.walDir(), telemetry.walFsyncInterval())
                : settings;
    }

    /**
     * A writer for one table (its definition must be among those {@link #open} was given), encoding with
     * one encoder per calling thread. The returned sink never blocks on the network: a full queue drops
     * the event and counts it.
     */
    <T> Consumer<T> writer(Supplier<? extends RowEncoder<T>> encoders) {
        if (connection == null) {
            return event -> { };
        }
        try {
            BatchWriter<T> writer = BatchWriter.start(connection, schema, encoders, settings, registry);
            writers.add(writer);
            return writer::offer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool or write-ahead log for " + encoders.get().table(), e);
        }
    }

    /** The tables whose writer is stalled (see {@link BatchWriter#stalled()}); readiness fails while any is. */
    List<String> stalledTables() {
        return writers.stream().filter(BatchWriter::stalled).map(BatchWriter::table).toList();
    }

    /** For queries (canary windows, drift); empty when telemetry is disabled. Calls block: use a worker. */
    Optional<ClickHouseConnection> clickHouse() {
        return Optional.ofNullable(connection);
    }

    /** Flushes every queue to ClickHouse, or to the spool if it is unavailable. Blocks. */
    @Override
    public void close() {
        writers.forEach(writer -> writer.close(CLOSE_DEADLINE));
        if (connection != null) {
            connection.close();
        }
    }

    private static String path(Optional<java.nio.file.Path> file) {
        return file.map(java.nio.file.Path::toString).orElse("");
    }
}
