package dev.modelgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A ClickHouse of a test class's own (scripts/services.sh on free ports, in a temporary folder), for
 * tests that stop, kill or freeze it, plus gateways pointed at it, each in a database of its own.
 * Register it as a static {@code @RegisterExtension} field: it starts before the class's first test
 * and stops after its last.
 */
final class PrivateClickHouse implements BeforeAllCallback, AfterAllCallback {

    private static final String SERVICE = "clickhouse";

    private final Path workDir;
    private final Services services;
    private final ClickHouse client;

    /** Chooses the folder and ports at once, so that fields of the test instance can use them; starts nothing. */
    PrivateClickHouse(String tempDirPrefix) {
        try {
            workDir = Files.createTempDirectory(tempDirPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        services = new Services(workDir);
        client = new ClickHouse(services.clickHouseUrl());
    }

    /**
     * Adds a file ClickHouse merges into its configuration at start: {@code folder} is {@code config.d}
     * (server settings, e.g. an HTTPS port) or {@code users.d} (users and passwords).
     */
    PrivateClickHouse configure(String folder, String name, String xml) {
        try {
            Path dir = Files.createDirectories(workDir.resolve("services").resolve(SERVICE).resolve(folder));
            Files.writeString(dir.resolve(name), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        run("start");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        run("stop");
    }

    /** The tests' own reader of this server. */
    ClickHouse client() {
        return client;
    }

    String url() {
        return services.clickHouseUrl();
    }

    int httpPort() {
        return Integer.parseInt(url().replaceAll(".*:", ""));
    }

    /** {@code scripts/services.sh COMMAND clickhouse}: start, stop. */
    void run(String command) throws IOException, InterruptedException {
        services.run(command, SERVICE);
    }

    /** {@code kill -SIGNAL} to the server: KILL, STOP, CONT. */
    void signal(String signal) throws IOException, InterruptedException {
        services.signal(SERVICE, signal);
    }

    /** A gateway writing to {@code database} through {@code clickHouseUrl} (this server, or a proxy in front of it). */
    GatewayProcess gateway(String database, String clickHouseUrl, long flushMillis, String telemetry) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(database));
        return GatewayProcess.start(TestConfigs.demo(dir, flushMillis, telemetry), Map.of(
                "MODELGATE_CLICKHOUSE_URL", clickHouseUrl,
                "MODELGATE_CLICKHOUSE_DATABASE", database), dir);
    }
}
