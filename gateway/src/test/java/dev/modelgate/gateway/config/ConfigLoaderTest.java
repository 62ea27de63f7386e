package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void modelFile() throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "not really onnx; the loader only checks the file exists");
    }

    private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(env).load(file);
    }

    private GatewayConfig load(String yaml) throws IOException {
        return load(yaml, Map.of());
    }

    private static final String MINIMAL = """
            models:
              fraud:
                variants:
                  v1:
                    backend: {type: onnx, path: model.onnx}
            """;

    @Test
    void minimalConfigGetsDocumentedDefaults() throws IOException {
        GatewayConfig config = load(MINIMAL);
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        ModelConfig model = config.models().get("fraud");
        assertThat(model.defaultVariant()).isEqualTo("v1");
        assertThat(model.timeout()).isEqualTo(Duration.ofSeconds(2));
        OnnxBackendConfig backend = (OnnxBackendConfig) model.defaultVariantConfig().backend();
        assertThat(backend.path()).isEqualTo(dir.resolve("model.onnx").toAbsolutePath());
        assertThat(backend.instances()).isEqualTo(1);
        assertThat(backend.device()).isEqualTo("auto");
        assertThat(config.telemetry().batchSize()).isEqualTo(50_000);
        assertThat(config.telemetry().flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.telemetry().rowCaps()).isEqualTo(new RowCaps(128, 1_024, 4_096, 1_024, 65_536));
        assertThat(config.clickhouse().url()).isEqualTo("http://127.0.0.1:8123");
        assertThat(config.clickhouse().database()).isEqualTo("modelgate");
    }

    @Test
    void aClickHouseClusterIsNamedInTheFileOrTheEnvironmentAndMustBeAPlainIdentifier() throws IOException {
        assertThat(load(MINIMAL).clickhouse().cluster()).as("one server by default").isEmpty();
        assertThat(load("clickhouse: {cluster: modelgate}\n" + MINIMAL).clickhouse().cluster()).isEqualTo("modelgate");
        assertThat(load(MINIMAL, Map.of("MODELGATE_CLICKHOUSE_CLUSTER", "prod_2x2")).clickhouse().cluster()).isEqualTo("prod_2x2");
        assertThatThrownBy(() -> load("clickhouse: {cluster: 'a-b; DROP'}\n" + MINIMAL)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clickhouse.cluster: must be a plain identifier");
    }

    @Test
    void rowCapsAreReadFromTelemetry() throws IOException {
        GatewayConfig config = load("telemetry: {max_name_bytes: 64, max_error_bytes: 256, request_json_max_bytes: 0,"
                + " max_logged_values: 10, max_row_bytes: 4096}\n" + MINIMAL);
        assertThat(config.telemetry().rowCaps()).isEqualTo(new RowCaps(64, 256, 0, 10, 4_096));
    }

    @Test
    void environmentOverridesAddressesAndSecrets() throws IOException {
        GatewayConfig config = load(MINIMAL, Map.of(
                "MODELGATE_CLICKHOUSE_URL", "http://ch.internal:8123",
                "MODELGATE_ADMIN_TOKEN", "s3cret",
                "MODELGATE_PORT", "9999"));
        assertThat(config.clickhouse().url()).isEqualTo("http://ch.internal:8123");
        assertThat(config.server().adminToken()).isEqualTo("s3cret");
        assertThat(config.server().port()).isEqualTo(9999);
        assertThat(config.clickhouse().toString()).doesNotContain("s3cret");
    }

    @Test
    void badEnvironmentValueIsReportedAgainstItsKey() {
        assertThatThrownBy(() -> load(MINIMAL, Map.of("MODELGATE_PORT", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port: must be a whole number");
    }

    @Test
    void typoInAKeyIsAnErrorNotASilentDefault() {
        assertThatThrownBy(() -> load("server: {prot: 80}\n" + MINIMAL))
                .hasMessageStartingWith("server.prot: unknown key");
    }

    @Test
    void everyBadValueNamesItsKey() {
        assertThatThrownBy(() -> load(MINIMAL.replace("path: model.onnx", "path: missing.onnx")))
                .hasMessageContaining("models.fraud.variants.v1.backend.path: no model file");
        assertThatThrownBy(() -> load(MINIMAL.replace("path: model.onnx", "path: model.onnx, instances: 0")))
                .hasMessageContaining("models.fraud.variants.v1.backend.instances: must be between 1 and 256, got 0");
        assertThatThrownBy(() -> load(MINIMAL.replace("type: onnx", "type: tensorflow")))
                .hasMessageContaining("models.fraud.variants.v1.backend.type: unknown backend type 'tensorflow'");
        assertThatThrownBy(() -> load(MINIMAL.replace("path: model.onnx", "path: model.onnx, device: tpu")))
                .hasMessageContaining("models.fraud.variants.v1.backend.device:");
        assertThatThrownBy(() -> load(MINIMAL.replace("  fraud:\n", "  fraud:\n    default_variant: v9\n")))
                .hasMessageContaining("models.fraud.default_variant: 'v9' is not one of the variants");
        assertThatThrownBy(() -> load("clickhouse: {url: 'ftp://x'}\n" + MINIMAL))
                .hasMessageContaining("clickhouse.url: must be an http(s) URL");
        assertThatThrownBy(() -> load("telemetry: {batch_size: 0}\n" + MINIMAL))
                .hasMessageContaining("telemetry.batch_size: must be between 1 and");
        assertThatThrownBy(() -> load("telemetry: {max_name_bytes: 8}\n" + MINIMAL))
                .hasMessageContaining("telemetry.max_name_bytes: must be between 16 and");
        assertThatThrownBy(() -> load("models: {}\n"))
                .hasMessageContaining("models: at least one model is required");
        assertThatThrownBy(() -> load("models: {fraud: {variants: {}}}\n"))
                .hasMessageContaining("models.fraud.variants: at least one variant is required");
    }

    @Test
    void featureNamesAreReadPerInput() throws IOException {
        GatewayConfig config = load(MINIMAL.replace("backend: {type: onnx, path: model.onnx}",
                "backend: {type: onnx, path: model.onnx}\n        feature_names: {features: [amount, age]}"));
        assertThat(config.models().get("fraud").defaultVariantConfig().featureNames())
                .containsEntry("features", java.util.List.of("amount", "age"));
    }

    @Test
    void invalidYamlIsReportedWithTheFile() {
        assertThatThrownBy(() -> load("models: [unclosed"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorNamingItsPathAndLines() {
        // the second admin_token would silently close the admin API if the last one won
        assertThatThrownBy(() -> load("server:\n  admin_token: s3cret\n  port: 8080\n  admin_token: ''\n" + MINIMAL))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.admin_token: duplicated key (lines 2 and 4): a key may appear once per mapping");
        assertThatThrownBy(() -> load(MINIMAL + "    timeout_ms: 100\n    timeout_ms: 200\n"))
                .hasMessageStartingWith("models.fraud.timeout_ms: duplicated key");
    }

    @Test
    void anchorsAliasesAndMergeKeysWork() throws IOException {
        GatewayConfig config = load("""
                models:
                  fraud:
                    variants:
                      v1:
                        backend: &onnx {type: onnx, path: model.onnx, instances: 2}
                      v2:
                        backend:
                          <<: *onnx
                          instances: 3
                      v3:
                        backend: *onnx
                """);
        ModelConfig model = config.models().get("fraud");
        assertThat(((OnnxBackendConfig) model.variants().get("v1").backend()).instances()).isEqualTo(2);
        assertThat(((OnnxBackendConfig) model.variants().get("v2").backend()).instances()).as("a key beside the merge wins").isEqualTo(3);
        assertThat(((OnnxBackendConfig) model.variants().get("v2").backend()).path()).isEqualTo(dir.resolve("model.onnx").toAbsolutePath());
        assertThat(((OnnxBackendConfig) model.variants().get("v3").backend()).instances()).isEqualTo(2);
    }

    @Test
    void connectionLimitsHaveDefaultsAndAreReadFromServer() throws IOException {
        assertThat(load(MINIMAL).server().connections()).isEqualTo(ConnectionLimits.DEFAULTS);
        ConnectionLimits limits = load("server: {idle_timeout_ms: 5000, request_read_timeout_ms: 1500, max_connections: 64}\n" + MINIMAL)
                .server().connections();
        assertThat(limits).isEqualTo(new ConnectionLimits(Duration.ofSeconds(5), Duration.ofMillis(1_500), 64));
        assertThatThrownBy(() -> load("server: {max_connections: 0}\n" + MINIMAL))
                .hasMessageContaining("server.max_connections: must be between 1 and");
    }

    @Test
    void grpcIsOffByDefaultAndGetsItsPortFromServerOrTheEnvironment() throws IOException {
        assertThat(load(MINIMAL).server().grpc()).isEqualTo(ServerConfig.GrpcListener.OFF);
        assertThat(load(MINIMAL).server().grpc().enabled()).isFalse();
        ServerConfig.GrpcListener grpc = load("server: {grpc_port: 8081, grpc_max_message_bytes: 16777216}\n" + MINIMAL).server().grpc();
        assertThat(grpc).isEqualTo(new ServerConfig.GrpcListener(8081, 16L << 20));
        assertThat(grpc.enabled()).isTrue();
        assertThat(load(MINIMAL, Map.of("MODELGATE_GRPC_PORT", "9091")).server().grpc().port()).isEqualTo(9091);
        assertThatThrownBy(() -> load("server: {grpc_port: 70000}\n" + MINIMAL))
                .hasMessageContaining("server.grpc_port: must be between -1 and 65535");
    }
}
