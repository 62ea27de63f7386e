package dev.modelgate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar modelgate.jar score ...} as a process, as cron or Airflow would run it. */
final class ScoreJob implements AutoCloseable {

    private final Process process;
    final Path stdout;
    final Path stderr;

    private ScoreJob(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ScoreJob start(Path config, Path job, Map<String, String> env, Path workDir, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-jar", GatewayProcess.JAR.toString(), "score",
                "--config", config.toString(), "--job", job.toString()));
        command.addAll(List.of(extraArgs));
        String name = job.getFileName() + "-" + System.nanoTime();
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        return new ScoreJob(builder.start(), out, err);
    }

    /** Waits for the exit code. */
    int await(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("score did not finish within " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a scheduler stopping the task sends. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
