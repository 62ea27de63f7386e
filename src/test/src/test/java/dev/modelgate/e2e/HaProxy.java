package dev.modelgate.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * HAProxy (Debian's {@code haproxy}, run in the foreground by the test) in front of gateway replicas, as a
 * fleet runs behind a load balancer: round robin, {@code /v2/health/ready} checked every 500 ms (two failures
 * take a replica out, two successes put it back), a connection refused retried on another replica, and a
 * request already sent to a replica that dies answered 502 (a POST is not retried: it may have been served).
 * Except on a caller's first request: HAProxy answers a replica that closes without a byte of response by closing
 * the caller's keep-alive connection, unanswered and unlogged, so that the caller may retry (haproxy issue #3414);
 * a test counts those at the client.
 * Each response names its replica in {@code X-Served-By}; each request is logged as one line
 * {@code server status termination-state total-ms path} to {@link #log()}, which is how a test counts what failed where.
 */
final class HaProxy implements AutoCloseable {

    private static final Pattern REQUEST_LINE = Pattern.compile("\\S+ -?\\d+ \\S+ -?\\d+ \\S+");

    private final Process process;
    private final Path log;
    private final Path statsSocket;
    final URI base;

    private HaProxy(Process process, Path log, int port, Path statsSocket) {
        this.statsSocket = statsSocket;
        this.process = process;
        this.log = log;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** The configuration the test runs (and the README shows), for {@code replicas} by name and port. */
    static String config(int port, Path statsSocket, Map<String, Integer> replicas) {
        StringBuilder servers = new StringBuilder();
        replicas.forEach((name, replicaPort) -> servers.append("  server ").append(name).append(" 127.0.0.1:").append(replicaPort)
                .append(" check\n"));
        return """
                global
                  log stdout format raw local0
                  maxconn 2000
                  stats socket %s mode 600 level operator
                defaults
                  mode http
                  log global
                  log-format "%%s %%ST %%tsc %%Ta %%HP"
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                  retries 3
                  option redispatch 1
                frontend gateway
                  bind 127.0.0.1:%d
                  default_backend replicas
                backend replicas
                  balance roundrobin
                  option httpchk GET /v2/health/ready
                  http-check expect status 200
                  default-server inter 500 fall 2 rise 2
                  http-response set-header X-Served-By %%s
                """.formatted(statsSocket, port) + servers;
    }

    static HaProxy start(Path dir, Map<String, Integer> replicas) throws IOException, InterruptedException {
        int port = GatewayProcess.freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, config(port, dir.resolve("haproxy.sock"), replicas));
        Path log = dir.resolve("haproxy.log");
        // -db: stay in the foreground (the test owns the process and kills it at the end)
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HaProxy proxy = new HaProxy(process, log, port, dir.resolve("haproxy.sock"));
        InferApi api = new InferApi(proxy.base);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (api.get("/v2/health/ready").statusCode() == 200) {
                    return proxy;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(100);
        }
        proxy.close();
        throw new IllegalStateException("haproxy not answering within 20 s: " + Files.readString(log));
    }

    /** The requests a replica holds open now ({@code scur} of {@code show stat} on the stats socket). */
    int openRequests(String replica) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(statsSocket))) {
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) > 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            // CSV: pxname,svname,qcur,qmax,scur,...
            for (String line : answer.toString(StandardCharsets.US_ASCII).split("\n")) {
                String[] fields = line.split(",");
                if (fields.length > 4 && fields[0].equals("replicas") && fields[1].equals(replica)) {
                    return Integer.parseInt(fields[4]);
                }
            }
        }
        throw new IOException("no line for " + replica + " in HAProxy's show stat");
    }

    /** One line per request answered or failed so far: {@code server status termination-state total-ms path}. */
    List<String[]> log() throws IOException {
        // HAProxy's own warnings (a server going DOWN or UP) go to the same output: only request lines match
        return Files.readAllLines(log).stream().filter(line -> REQUEST_LINE.matcher(line).matches()).map(line -> line.split(" ")).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
