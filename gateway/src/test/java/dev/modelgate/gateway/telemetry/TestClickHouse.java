package dev.modelgate.gateway.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away database on the real ClickHouse started by {@code scripts/services.sh start}, at
 * {@code MODELGATE_CLICKHOUSE_URL} (default {@code http://127.0.0.1:8123}). One per test class.
 */
public final class TestClickHouse implements AutoCloseable {

    private final ClickHouseConnection connection;

    private TestClickHouse(ClickHouseConnection connection) {
        this.connection = connection;
    }

    /** Creates {@code modelgate_test_<random>} with the predictions table. */
    public static TestClickHouse withPredictionsTable() throws ClickHouseCallException {
        TestClickHouse db = empty();
        new ClickHouseSchema(List.of(PredictionsTable.DEFINITION)).apply(db.connection);
        return db;
    }

    /** Settings of a fresh database name; nothing is created. */
    public static TestClickHouse empty() {
        String url = System.getenv().getOrDefault("MODELGATE_CLICKHOUSE_URL", ClickHouseSettings.DEFAULT_URL);
        String database = "modelgate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        return new TestClickHouse(ClickHouseConnection.open(ClickHouseSettings.defaults()
                .withUrl(url).withDatabase(database).withOperationTimeout(Duration.ofSeconds(5))));
    }

    public ClickHouseConnection connection() {
        return connection;
    }

    public ClickHouseSettings settings() {
        return connection.settings();
    }

    /** The HTTP port, for a proxy in front of it. */
    public int port() {
        return java.net.URI.create(settings().url()).getPort();
    }

    public String predictions() {
        return settings().qualify(PredictionsTable.NAME);
    }

    public List<JsonNode> query(String select) throws ClickHouseCallException {
        return connection.query(select);
    }

    public long count(String predicate) throws ClickHouseCallException {
        return connection.count(predictions(), predicate);
    }

    @Override
    public void close() throws ClickHouseCallException {
        try {
            connection.execute("DROP DATABASE IF EXISTS " + settings().database());
        } finally {
            connection.close();
        }
    }
}
