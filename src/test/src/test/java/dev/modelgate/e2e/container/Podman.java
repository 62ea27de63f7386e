package dev.modelgate.e2e.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command over the private image storage that scripts/build-image.sh writes
 * (.run/image/storage, vfs driver), with the OCI runtime and resource limits this machine accepts.
 * {@link #probe} finds out whether containers can run here at all and how; see README "The image".
 */
public final class Podman {

    /** A podman command's exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) {}

    private final List<String> global;      // podman's own options: storage, runtime
    private final List<String> runOptions;  // what every `podman run` needs on this host: the ulimits

    private Podman(List<String> global, List<String> runOptions) {
        this.global = List.copyOf(global);
        this.runOptions = List.copyOf(runOptions);
    }

    /**
     * A podman that runs {@code image}, or why none does. Tries the default OCI runtime, then runc (crun
     * refuses hosts whose cgroups are mounted in hybrid v1/v2 mode, runc takes them), each with ulimits no
     * higher than this process's: podman's defaults raise them, which a container host without the right to
     * do so (a Firecracker VM here) refuses.
     */
    public static Probe probe(Path storage, Path runRoot, String image) throws IOException, InterruptedException {
        if (!onPath("podman")) {
            return new Probe(Optional.empty(), "podman is not installed");
        }
        List<String> base = List.of("podman", "--root", storage.toString(), "--runroot", runRoot.toString(), "--storage-driver", "vfs");
        List<String> limits = ulimits();
        StringBuilder why = new StringBuilder();
        for (List<String> runtime : List.of(List.<String>of(), List.of("--runtime", "runc"))) {
            if (!runtime.isEmpty() && !onPath("runc")) {
                continue;
            }
            List<String> global = new ArrayList<>(base);
            global.addAll(runtime);
            Podman podman = new Podman(global, limits);
            Result trial = podman.run(List.of("--rm", "--network", "none", "--entrypoint", "/bin/busybox", image, "true"), 120);
            if (trial.exitCode() == 0) {
                return new Probe(Optional.of(podman), "runs with " + (runtime.isEmpty() ? "the default runtime" : "runc") + " and " + limits);
            }
            why.append(runtime.isEmpty() ? "default runtime" : "runc").append(": ").append(trial.output().strip()).append("; ");
        }
        return new Probe(Optional.empty(), why.toString());
    }

    /** The outcome of {@link #probe}: a usable podman, and what was found. */
    public record Probe(Optional<Podman> podman, String description) {}

    /** {@code podman run OPTIONS...} with this host's limits. */
    public Result run(List<String> options, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("run"));
        arguments.addAll(runOptions);
        arguments.addAll(options);
        return command(arguments, timeoutSeconds);
    }

    /** Any other podman command (inspect, logs, stop, healthcheck run, rm). */
    public Result command(List<String> arguments, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(global);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        // podman reports that it cannot remove systemd health-check timers on a host without systemd: noise
        String text = new String(output, StandardCharsets.UTF_8).lines().filter(l -> !l.contains("unable to get systemd connection"))
                .reduce("", (a, b) -> a + b + "\n");
        return new Result(process.exitValue(), text);
    }

    /** {@code --ulimit} for open files and processes at this process's soft limits (never above them). */
    private static List<String> ulimits() throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            String[] fields = line.trim().split("\\s{2,}");
            if (fields.length < 3 || fields[1].equals("unlimited")) {
                continue;
            }
            if (fields[0].equals("Max open files")) {
                options.addAll(List.of("--ulimit", "nofile=" + fields[1] + ":" + fields[1]));
            } else if (fields[0].equals("Max processes")) {
                // below the soft limit: setting the very value this host allows is refused inside the VM
                long processes = Math.min(Long.parseLong(fields[1]) - 1, 4096);
                options.addAll(List.of("--ulimit", "nproc=" + processes + ":" + processes));
            }
        }
        return options;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return List.of(path.split(":")).stream().anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }
}
