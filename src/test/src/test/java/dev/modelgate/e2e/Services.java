package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Private instances of the project's services (scripts/services.sh on their own ports and folder),
 * for tests that stop and start them to show what an outage does.
 */
final class Services {

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    Services(Path dir) {
        this.dir = dir;
        env.put("MODELGATE_SERVICES_DIR", dir.resolve("services").toString());
        env.put("MODELGATE_CH_HTTP_PORT", Integer.toString(GatewayProcess.freePort()));
        env.put("MODELGATE_CH_TCP_PORT", Integer.toString(GatewayProcess.freePort()));
        env.put("MODELGATE_REDIS_PORT", Integer.toString(GatewayProcess.freePort()));
        env.put("MODELGATE_SENTINEL_REDIS_PORTS", GatewayProcess.freePort() + "," + GatewayProcess.freePort());
        env.put("MODELGATE_SENTINEL_PORTS", GatewayProcess.freePort() + "," + GatewayProcess.freePort() + "," + GatewayProcess.freePort());
    }

    /**
     * Ports for the {@code cluster} profile: four consecutive free ones from each of {@code firstHttp},
     * {@code firstTcp} and {@code firstInterserver} (n1 to n4), and ZooKeeper's.
     */
    Services withCluster(int firstHttp, int firstTcp, int firstInterserver, int zooKeeper) {
        env.put("MODELGATE_CLUSTER_HTTP_PORT", Integer.toString(firstHttp));
        env.put("MODELGATE_CLUSTER_TCP_PORT", Integer.toString(firstTcp));
        env.put("MODELGATE_CLUSTER_INTERSERVER_PORT", Integer.toString(firstInterserver));
        env.put("MODELGATE_CLUSTER_ZK_PORT", Integer.toString(zooKeeper));
        return this;
    }

    String clickHouseUrl() {
        return "http://127.0.0.1:" + env.get("MODELGATE_CH_HTTP_PORT");
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + env.get("MODELGATE_REDIS_PORT");
    }

    /** The {@code sentinel} setup's URL: its three sentinels and the master name services.sh gives them. */
    String sentinelUrl() {
        return "redis-sentinel://" + String.join(",", Arrays.stream(sentinelPorts()).mapToObj(p -> "127.0.0.1:" + p).toList())
                + "/0#" + SENTINEL_MASTER;
    }

    static final String SENTINEL_MASTER = "modelgate";

    int[] sentinelPorts() {
        return ports("MODELGATE_SENTINEL_PORTS");
    }

    /** The two redis-server nodes of the {@code sentinel} setup: redis-a (first the primary), redis-b. */
    int[] sentinelRedisPorts() {
        return ports("MODELGATE_SENTINEL_REDIS_PORTS");
    }

    private int[] ports(String variable) {
        return Arrays.stream(env.get(variable).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** The pid services.sh recorded for a node of the sentinel setup ({@code redis-a}, {@code sentinel-2}, ...). */
    String sentinelNodePid(String node) throws IOException {
        return Files.readString(Path.of(env.get("MODELGATE_SERVICES_DIR"), "sentinel", node + ".pid")).trim();
    }

    /**
     * Sends a signal to a running service, as a crash ({@code KILL}) or a frozen host ({@code STOP},
     * then {@code CONT}) would affect it; the pid comes from the file services.sh keeps.
     */
    void signal(String service, String signal) throws IOException, InterruptedException {
        Path pidFile = Path.of(env.get("MODELGATE_SERVICES_DIR"), service, service + ".pid");
        signalPid(Files.readString(pidFile).trim(), signal, service);
    }

    /** As {@link #signal(String, String)} for a node of the {@code cluster} profile: n1 to n4. */
    void signalClusterNode(String node, String signal) throws IOException, InterruptedException {
        Path pidFile = Path.of(env.get("MODELGATE_SERVICES_DIR"), "cluster", node, node + ".pid");
        signalPid(Files.readString(pidFile).trim(), signal, node);
    }

    /** As {@link #signal(String, String)} for a process of a service named by its pid. */
    static void signalPid(String pid, String signal, String service) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %s (%s): %s", signal, pid, service,
                new String(kill.getInputStream().readAllBytes())).isZero();
        if (signal.equals("KILL")) {
            awaitExit(pid);
        }
    }

    private static void awaitExit(String pid) throws InterruptedException {
        Path proc = Path.of("/proc", pid);
        for (int i = 0; i < 100 && Files.exists(proc); i++) {
            Thread.sleep(50);
        }
    }

    /** {@code scripts/services.sh COMMAND SERVICE}; fails the test if the script does. */
    void run(String command, String service) throws IOException, InterruptedException {
        Path log = Files.createDirectories(dir).resolve("services-" + service + ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", GatewayProcess.REPO.resolve("scripts/services.sh").toString(), command, service)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("services.sh %s %s: %s", command, service, Files.readString(log)).isZero();
    }
}
