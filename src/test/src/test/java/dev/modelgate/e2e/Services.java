package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Sends a signal to a running service, as a crash ({@code KILL}) or a frozen host ({@code STOP},
     * then {@code CONT}) would affect it; the pid comes from the file services.sh keeps.
     */
    void signal(String service, String signal) throws IOException, InterruptedException {
        signal(Path.of(env.get("MODELGATE_SERVICES_DIR"), service, service + ".pid"), service, signal);
    }

    /** As {@link #signal(String, String)} for a node of the {@code cluster} profile: n1 to n4. */
    void signalClusterNode(String node, String signal) throws IOException, InterruptedException {
        signal(Path.of(env.get("MODELGATE_SERVICES_DIR"), "cluster", node, node + ".pid"), node, signal);
    }

    private void signal(Path pidFile, String service, String signal) throws IOException, InterruptedException {
        String pid = Files.readString(pidFile).trim();
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
        Path log = dir.resolve("services-" + service + ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", GatewayProcess.REPO.resolve("scripts/services.sh").toString(), command, service)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("services.sh %s %s: %s", command, service, Files.readString(log)).isZero();
    }
}
