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
 * The {@code cluster} profile of scripts/services.sh (ZooKeeper, 2 shards x 2 replicas of ClickHouse:
 * n1 and n2 are shard 1, n3 and n4 shard 2) of a test class's own, on free ports in a temporary
 * folder, for tests that kill its nodes; plus gateways writing to it in cluster mode. Register it as a
 * static {@code @RegisterExtension} field.
 */
final class PrivateCluster implements BeforeAllCallback, AfterAllCallback {

    static final String NAME = "modelgate";
    private static final String PROFILE = "cluster";

    private final Path workDir;
    private final Services services;
    private final int firstHttpPort;

    /** Chooses the folder and ports at once; starts nothing. */
    PrivateCluster(String tempDirPrefix) {
        try {
            workDir = Files.createTempDirectory(tempDirPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        firstHttpPort = GatewayProcess.freePorts(4);
        services = new Services(workDir).withCluster(firstHttpPort, GatewayProcess.freePorts(4), GatewayProcess.freePorts(4),
                GatewayProcess.freePort());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        services.run("stop", PROFILE);
    }

    /** Starts what is not running: the whole cluster at first, a killed node later. */
    void start() throws IOException, InterruptedException {
        services.run("start", PROFILE);
    }

    /** {@code kill -9} to node {@code n1} .. {@code n4}. */
    void kill(String node) throws IOException, InterruptedException {
        services.signalClusterNode(node, "KILL");
    }

    /** HTTP URL of node {@code index} (0 = n1). */
    String url(int index) {
        return "http://127.0.0.1:" + (firstHttpPort + index);
    }

    /** The tests' own reader of node {@code index}. */
    ClickHouse client(int index) {
        return new ClickHouse(url(index));
    }

    /** A gateway in cluster mode writing to {@code database} through node {@code index}. */
    GatewayProcess gateway(String database, int index, long flushMillis, String telemetry) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(database));
        return GatewayProcess.start(TestConfigs.demo(dir, flushMillis, telemetry), Map.of(
                "MODELGATE_CLICKHOUSE_URL", url(index),
                "MODELGATE_CLICKHOUSE_CLUSTER", NAME,
                "MODELGATE_CLICKHOUSE_DATABASE", database), dir);
    }

    void dropDatabase(String database) throws InterruptedException {
        try {
            client(0).execute("DROP DATABASE IF EXISTS " + database + " ON CLUSTER " + NAME);
        } catch (IOException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
    }
}
