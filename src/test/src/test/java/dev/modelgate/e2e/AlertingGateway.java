package dev.modelgate.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A gateway process for an alerting scenario: its own ClickHouse database, an admin token, the real
 * Alertmanager, and a reader of the alerts it raises for {@code model}. Closing it stops the process
 * and drops the database.
 */
final class AlertingGateway implements AutoCloseable {

    /** Writes the gateway's config into the work folder and returns its path. */
    @FunctionalInterface
    interface ConfigWriter {
        Path write(Path workDir) throws Exception;
    }

    final ClickHouse clickHouse = new ClickHouse();
    final String database;
    final InferApi api;
    final AlertmanagerAlerts alerts;
    private final GatewayProcess process;

    private AlertingGateway(String database, GatewayProcess process, String model) {
        this.database = database;
        this.process = process;
        this.api = new InferApi(process.base);
        this.alerts = new AlertmanagerAlerts(model);
    }

    /** @param name names the database ({@code e2e_<name>_…}), the work folder and the instance ({@code e2e-<name>}) */
    static AlertingGateway start(String name, String model, String adminToken, ConfigWriter config) throws Exception {
        Path workDir = Files.createTempDirectory("modelgate-e2e-" + name);
        String database = ClickHouse.uniqueDatabase("e2e_" + name);
        GatewayProcess process = GatewayProcess.start(config.write(workDir), Map.of(
                "MODELGATE_CLICKHOUSE_URL", ClickHouse.URL,
                "MODELGATE_CLICKHOUSE_DATABASE", database,
                "MODELGATE_INSTANCE_ID", "e2e-" + name,
                "MODELGATE_ADMIN_TOKEN", adminToken,
                "MODELGATE_ALERTMANAGER_URL", AlertmanagerAlerts.URL), workDir);
        return new AlertingGateway(database, process, model);
    }

    @Override
    public void close() throws Exception {
        process.close();
        clickHouse.dropDatabase(database);
    }
}
