package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Redis primary, its replica and three sentinels of a test's own ({@code scripts/services.sh start sentinel}
 * on free ports in the test's folder), and the two ways a primary goes away: a planned {@code SENTINEL
 * FAILOVER} and a {@code kill -9}. Each waits until every sentinel names the new primary and it answers as one.
 */
final class SentinelRedis implements AutoCloseable {

    /** Sentinel's own failover takes ~1 s (planned) to ~3 s (down-after 1 s, then a vote) here; a slow machine more. */
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private final Services services;

    SentinelRedis(Path dir) {
        services = new Services(dir);
    }

    SentinelRedis start() throws IOException, InterruptedException {
        services.run("start", "sentinel");
        return this;
    }

    /** What the gateway is configured with. */
    String url() {
        return services.sentinelUrl();
    }

    /** The port of the node the sentinels name as the primary now. */
    int primaryPort() throws IOException, InterruptedException {
        String answer = cli(services.sentinelPorts()[0], "SENTINEL", "get-master-addr-by-name", Services.SENTINEL_MASTER);
        String[] lines = answer.split("\n");
        return Integer.parseInt(lines[lines.length - 1].trim());
    }

    /** A planned switch: the replica is promoted, the old primary is turned into its replica. */
    Failover failover() throws IOException, InterruptedException {
        int old = primaryPort();
        long start = System.nanoTime();
        assertThat(cli(services.sentinelPorts()[0], "SENTINEL", "FAILOVER", Services.SENTINEL_MASTER)).isEqualTo("OK");
        return awaitNewPrimary(old, start, "SENTINEL FAILOVER");
    }

    /** The primary's process {@code kill -9}ed: the sentinels must notice it is down and elect the replica. */
    Failover killPrimary() throws IOException, InterruptedException {
        int old = primaryPort();
        String node = old == services.sentinelRedisPorts()[0] ? "redis-a" : "redis-b";
        long start = System.nanoTime();
        Services.signalPid(services.sentinelNodePid(node), "KILL", node);
        return awaitNewPrimary(old, start, "kill -9 of " + node);
    }

    /** Starts what is not running (a killed node comes back as the new primary's replica) and waits until it is in sync. */
    void restartStopped() throws IOException, InterruptedException {
        services.run("start", "sentinel");
    }

    /** How a failover went: the primary's port before and after, and how long until every sentinel named the new one. */
    record Failover(String how, int from, int to, long millis) {
        @Override
        public String toString() {
            return how + ": primary 127.0.0.1:" + from + " -> 127.0.0.1:" + to + " in " + millis + " ms";
        }
    }

    private Failover awaitNewPrimary(int old, long start, String how) throws IOException, InterruptedException {
        long deadline = start + FAILOVER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            int named = agreedPrimary();
            if (named > 0 && named != old && cli(named, "ROLE").startsWith("master")) {
                return new Failover(how, old, named, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            Thread.sleep(50);
        }
        throw new AssertionError(how + ": the sentinels named no new primary within " + FAILOVER_TIMEOUT);
    }

    /** The primary every sentinel names, or -1 while they disagree. */
    private int agreedPrimary() throws IOException, InterruptedException {
        int agreed = -1;
        for (int port : services.sentinelPorts()) {
            String[] lines = cli(port, "SENTINEL", "get-master-addr-by-name", Services.SENTINEL_MASTER).split("\n");
            int named = Integer.parseInt(lines[lines.length - 1].trim());
            if (agreed != -1 && agreed != named) {
                return -1;
            }
            agreed = named;
        }
        return agreed;
    }

    /** {@code redis-cli} against the current primary; its output. */
    String primaryCli(String... args) throws IOException, InterruptedException {
        return cli(primaryPort(), args);
    }

    static String cli(int port, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        System.arraycopy(new String[] {"redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)}, 0, command, 0, 5);
        System.arraycopy(args, 0, command, 5, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes()).trim();
    }

    /** As {@link #cli}, with a failure as its message: for polling a node that may be going away. */
    static String cliQuietly(int port, String... args) {
        try {
            return cli(port, args);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        services.run("stop", "sentinel");
    }
}
