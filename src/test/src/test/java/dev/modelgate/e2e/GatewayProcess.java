package dev.modelgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The assembled gateway jar running as its own process, exactly as an operator runs it:
 * {@code java -jar modelgate.jar serve --config FILE}, configured by a file plus environment.
 */
final class GatewayProcess implements AutoCloseable {

    static final Path REPO = Path.of(System.getProperty("modelgate.repo", "../..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("modelgate.jar", REPO.resolve("gateway/target/modelgate.jar").toString()));

    /** Environment variables holding a secret, by the words the gateway's configuration uses for secret keys. */
    private static final Pattern SECRET_VARIABLE = Pattern.compile(".*(TOKEN|SECRET|SALT|PASSWORD).*");

    private final Process process;
    private final Path log;
    /** Values that must never appear in the gateway's output, checked when it is closed. */
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    final int port;
    final URI base;

    private GatewayProcess(Process process, Path log, int port, String scheme) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.base = URI.create(scheme + "://127.0.0.1:" + port);
    }

    /** Starts the gateway on a free port and waits until {@code /v2/health/ready} answers 200. */
    static GatewayProcess start(Path config, Map<String, String> env, Path workDir) throws IOException, InterruptedException {
        return start(config, env, workDir, "http", HttpClient.newHttpClient());
    }

    /** As {@link #start(Path, Map, Path)} for a listener speaking {@code scheme}, probed for readiness by {@code probe}. */
    static GatewayProcess start(Path config, Map<String, String> env, Path workDir, String scheme, HttpClient probe)
            throws IOException, InterruptedException {
        return start(List.of("serve", "--config", config.toString()), env, workDir, scheme, probe, freePort());
    }

    /** As {@link #start(Path, Map, Path)} on a given port: a replica restarted where its load balancer expects it. */
    static GatewayProcess start(Path config, Map<String, String> env, Path workDir, int port) throws IOException, InterruptedException {
        return start(List.of("serve", "--config", config.toString()), env, workDir, "http", HttpClient.newHttpClient(), port);
    }

    /** As {@link #start(Path, Map, Path)} with the jar's whole command line given (e.g. a container's {@code args}). */
    static GatewayProcess start(List<String> arguments, Map<String, String> env, Path workDir) throws IOException, InterruptedException {
        return start(arguments, env, workDir, "http", HttpClient.newHttpClient(), freePort());
    }

    private static GatewayProcess start(List<String> arguments, Map<String, String> env, Path workDir, String scheme, HttpClient probe,
                                        int port) throws IOException, InterruptedException {
        Path log = workDir.resolve("gateway-" + port + ".log");
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));   // a restart on the same port keeps the first log
        Map<String, String> environment = new HashMap<>(env);
        environment.put("MODELGATE_PORT", Integer.toString(port));
        environment.put("MODELGATE_HOST", "127.0.0.1");
        if (!ClickHouse.URL.equals(env.get("MODELGATE_CLICKHOUSE_URL"))) {
            // a suite run against the cluster (MODELGATE_CLICKHOUSE_CLUSTER inherited) means the shared
            // ClickHouse only: a test's private single server or proxy is no cluster
            builder.environment().remove(ClickHouse.CLUSTER_VARIABLE);
        }
        builder.environment().putAll(environment);
        GatewayProcess gateway = new GatewayProcess(builder.start(), log, port, scheme);
        env.forEach((name, value) -> {
            if (SECRET_VARIABLE.matcher(name).matches() && !value.isEmpty()) {
                gateway.secrets.add(value);
            }
        });
        gateway.awaitReady(probe, Duration.ofSeconds(60));
        return gateway;
    }

    /** The first of {@code n} consecutive free ports (for the nodes of a private cluster, which follow each other). */
    static int freePorts(int n) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 30_000 + random.nextInt(25_000);
            boolean free = true;
            for (int port = first; port < first + n && free; port++) {
                try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports found");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(HttpClient client, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/v2/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("gateway not ready within " + timeout + ":\n" + log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, as an orchestrator would send; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("gateway did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the crash an OOM killer or a lost node causes, with no chance to flush anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gateway still alive 30 s after SIGKILL");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of the gateway process (VmRSS in /proc/PID/status), in bytes. */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for gateway pid " + process.pid());
    }

    /** A secret the gateway was given another way (a {@code *_file}): it must not appear in its output either. */
    void declareSecret(String value) {
        secrets.add(value);
    }

    /**
     * Fails when the gateway printed one of its secrets (any environment variable named like a secret, and
     * those declared): every end-to-end test checks its gateways' whole output this way when it closes them.
     */
    void assertNoSecretPrinted() throws IOException {
        String output = log();
        for (String secret : secrets) {
            if (output.contains(secret)) {
                throw new AssertionError("the gateway printed a configured secret (" + secret.length() + " characters) in " + log);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
        try {
            assertNoSecretPrinted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
