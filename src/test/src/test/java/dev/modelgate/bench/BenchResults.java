package dev.modelgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures a benchmark hands to {@code scripts/bench.sh}: {@code key=value} lines appended to the
 * file named by {@code -Dbench.out} (when set), and echoed for whoever runs the class by hand.
 */
final class BenchResults {

    private final Optional<Path> file;

    private BenchResults(Optional<Path> file) {
        this.file = file;
    }

    static BenchResults fromProperties() {
        return new BenchResults(Optional.ofNullable(BenchProperties.string("bench.out", null)).map(Path::of));
    }

    void put(String key, double value) throws IOException {
        write(key + "=" + String.format(Locale.ROOT, "%.1f", value));
    }

    void put(String key, long count) throws IOException {
        write(key + "=" + count);
    }

    private void write(String line) throws IOException {
        System.out.println(line);
        if (file.isPresent()) {
            Files.writeString(file.get(), line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** Every field of {@code report}, under {@code prefix.}. */
    void put(String prefix, LatencyReport report) throws IOException {
        put(prefix + ".completed", report.completed());
        put(prefix + ".failed", report.failed());
        put(prefix + ".unfinished", report.unfinished());
        put(prefix + ".p50_us", report.p50Micros());
        put(prefix + ".p99_us", report.p99Micros());
        put(prefix + ".p999_us", report.p999Micros());
        put(prefix + ".max_us", report.maxMicros());
        put(prefix + ".send_lag_p99_us", report.sendLagP99Micros());
    }
}
