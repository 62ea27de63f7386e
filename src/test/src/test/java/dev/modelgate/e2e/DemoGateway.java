package dev.modelgate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway process logging to a database of its own, for a test class: started before its tests,
 * closed after them together with the database.
 */
final class DemoGateway implements AutoCloseable {

    /** Writes the gateway's configuration file into the work folder. */
    interface Config {
        Path write(Path workDir) throws IOException;
    }

    final GatewayProcess process;
    final String database;
    final InferApi api;
    private final ClickHouse clickHouse;

    private DemoGateway(GatewayProcess process, String database, ClickHouse clickHouse) {
        this.process = process;
        this.database = database;
        this.clickHouse = clickHouse;
        this.api = new InferApi(process.base);
    }

    /** Starts a gateway with {@code config}, logging to a new database named after {@code prefix}. */
    static DemoGateway start(String prefix, ClickHouse clickHouse, Config config) throws IOException, InterruptedException {
        return start(prefix, clickHouse, config, Map.of());
    }

    /** As {@link #start(String, ClickHouse, Config)}, with more environment (e.g. {@code MODELGATE_ADMIN_TOKEN}). */
    static DemoGateway start(String prefix, ClickHouse clickHouse, Config config, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("modelgate-" + prefix);
        String database = ClickHouse.uniqueDatabase(prefix);
        try {
            Map<String, String> env = new HashMap<>(environment);
            env.put("MODELGATE_CLICKHOUSE_URL", ClickHouse.URL);
            env.put("MODELGATE_CLICKHOUSE_DATABASE", database);
            GatewayProcess process = GatewayProcess.start(config.write(workDir), env, workDir);
            return new DemoGateway(process, database, clickHouse);
        } catch (IOException | RuntimeException e) {
            clickHouse.dropDatabase(database); // a gateway that failed to start may have created it
            throw e;
        }
    }

    /** {@code database.predictions}. */
    String predictions() {
        return database + ".predictions";
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        clickHouse.dropDatabase(database);
    }
}
