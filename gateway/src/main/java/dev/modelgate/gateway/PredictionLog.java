package dev.modelgate.gateway;

import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.TelemetryConfig;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.batch.BatchWriter;
import dev.modelgate.gateway.telemetry.batch.WriterSettings;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the request path hands its events: the {@code predictions} batch writer, or nothing when
 * telemetry is disabled. Opening it connects to ClickHouse and creates the schema, but a ClickHouse
 * that is down at start does not stop the gateway: events go to the spool, and the writer creates
 * the schema itself before replaying them.
 */
final class PredictionLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionLog.class);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(20);

    private final ClickHouseConnection connection;
    private final BatchWriter<PredictionEvent> writer;

    private PredictionLog(ClickHouseConnection connection, BatchWriter<PredictionEvent> writer) {
        this.connection = connection;
        this.writer = writer;
    }

    static Future<PredictionLog> open(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        TelemetryConfig telemetry = config.telemetry();
        if (!telemetry.enabled()) {
            LOG.warn("telemetry is disabled: requests are served but not logged");
            return Future.succeededFuture(new PredictionLog(null, null));
        }
        return vertx.executeBlocking(() -> {
            var clickHouse = config.clickhouse();
            ClickHouseConnection connection = ClickHouseConnection.open(new ClickHouseSettings(
                    clickHouse.url(), clickHouse.user(), clickHouse.password(), clickHouse.database(), telemetry.insertTimeout()));
            ClickHouseSchema schema = new ClickHouseSchema(List.of(PredictionsTable.DEFINITION));
            try {
                schema.apply(connection);
            } catch (ClickHouseCallException e) {
                LOG.warn("ClickHouse at {} is not available ({}); events will be spooled until it is", clickHouse.url(), e.getMessage());
            }
            WriterSettings settings = WriterSettings.defaults(telemetry.spoolDir())
                    .withBatchSize(telemetry.batchSize())
                    .withFlushInterval(telemetry.flushInterval())
                    .withQueueCapacity(telemetry.queueCapacity())
                    .withSpoolMaxBytes(telemetry.spoolMaxBytes());
            return new PredictionLog(connection, BatchWriter.start(connection, schema, new PredictionEventEncoder(), settings, registry));
        });
    }

    /** Never blocks; a full queue drops the event and counts it. */
    void offer(PredictionEvent event) {
        if (writer != null) {
            writer.offer(event);
        }
    }

    /** Flushes what is queued to ClickHouse, or to the spool if it is unavailable. Blocks. */
    @Override
    public void close() {
        if (writer != null) {
            writer.close(CLOSE_DEADLINE);
            connection.close();
        }
    }
}
