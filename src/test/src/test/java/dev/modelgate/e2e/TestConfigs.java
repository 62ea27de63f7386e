package dev.modelgate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Gateway configuration files for the end-to-end tests: the bundled demo model, logging tuned per test. */
final class TestConfigs {

    private TestConfigs() {}

    /**
     * {@code fraud-score} with variants v1 (the default) and v2, both the demo model, for experiments
     * between them, followed by {@code extraYaml} (top-level sections); written to {@code dir/fileName}.
     */
    static Path twoVariants(Path dir, String fileName, String extraYaml) throws IOException {
        return twoVariants(dir, fileName, "", extraYaml);
    }

    /** As {@link #twoVariants(Path, String, String)}, with {@code extraVariants} (one {@code name: {...}} per line) added to v1 and v2. */
    static Path twoVariants(Path dir, String fileName, String extraVariants, String extraYaml) throws IOException {
        Path demo = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        String yaml = """
                models:
                  fraud-score:
                    timeout_ms: 2000
                    default_variant: v1
                    variants:
                      v1: {version: "1", backend: {type: onnx, path: "%1$s", device: cpu}}
                      v2: {version: "2", backend: {type: onnx, path: "%1$s", device: cpu}}
                """.formatted(demo) + extraVariants.indent(6) + extraYaml;
        return write(dir.resolve(fileName), yaml);
    }

    /** The demo model behind {@code fraud-score}, events flushed every {@code flushMillis}, bodies up to 64 KiB. */
    static Path demo(Path dir, long flushMillis, String extraTelemetry) throws IOException {
        return demo(dir, flushMillis, extraTelemetry, 65_536);
    }

    /** As {@link #demo(Path, long, String)}, with bodies up to {@code maxBodyBytes} accepted (larger ones get 413). */
    static Path demo(Path dir, long flushMillis, String extraTelemetry, long maxBodyBytes) throws IOException {
        return demo(dir, flushMillis, extraTelemetry, maxBodyBytes, "");
    }

    /** As {@link #demo(Path, long, String, long)}, with more keys of {@code server:} (YAML lines, e.g. timeouts). */
    static Path demo(Path dir, long flushMillis, String extraTelemetry, long maxBodyBytes, String extraServer) throws IOException {
        Path model = GatewayProcess.REPO.resolve("demo/fraud-score.onnx");
        String yaml = """
                models:
                  fraud-score:
                    timeout_ms: 2000
                    score_output: fraud_probability
                    variants:
                      v1:
                        version: "1"
                        backend: {type: onnx, path: "%s", instances: 2, device: cpu}
                        feature_names:
                          features: [amount, account_age_days, tx_count_24h, avg_amount_30d, distance_from_home_km,
                                     is_foreign, hour_of_day, merchant_risk, card_present, failed_logins_7d,
                                     device_age_days, velocity_ratio]
                server:
                  max_body_bytes: %d
                %s
                telemetry:
                  flush_interval_ms: %d
                  spool_dir: "%s"
                %s
                """.formatted(model, maxBodyBytes, extraServer.indent(2), flushMillis, dir.resolve("spool"), extraTelemetry.indent(2));
        return write(dir.resolve("gateway.yaml"), yaml);
    }

    private static Path write(Path file, String yaml) throws IOException {
        Files.writeString(file, yaml);
        return file;
    }
}
