package dev.modelgate.e2e.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An operator's command-line tool (promtool, amtool) run as its own process. A missing tool is an
 * error that says how to install it rather than a skipped test, so a green build means the rules
 * really were checked.
 */
public final class CommandLineTool {

    /** What a run printed (stdout and stderr interleaved) and its exit code. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** For assertion messages: the command line and everything it printed. */
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }

    private final String executable;
    private final Duration timeout;

    public CommandLineTool(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    public Result run(Path workDir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(executable + "-", ".log");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException notInstalled) {
                throw new IllegalStateException(executable + " is not installed: run scripts/tools.sh", notInstalled);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
