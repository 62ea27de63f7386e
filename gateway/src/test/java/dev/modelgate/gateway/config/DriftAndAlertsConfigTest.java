package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.MethodChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code drift:} and {@code alerts:} sections: defaults, values, and errors that name the key. */
class DriftAndAlertsConfigTest {

    private static final String MODELS = ConfigFiles.MODELS;

    @TempDir
    Path dir;
    private ConfigFiles files;

    @BeforeEach
    void modelFile() throws IOException {
        files = new ConfigFiles(dir);
    }

    @Test
    void defaultsWatchHourlyWindowsEveryFiveMinutesAndSendNoAlerts() throws IOException {
        GatewayConfig config = load(MODELS, Map.of());

        assertThat(config.drift()).isEqualTo(new DriftConfig(true, Duration.ofMinutes(5), Duration.ofHours(1), 100, 2, 2,
                0.5, 5_000, Map.of(), Duration.ofSeconds(60)));
        assertThat(config.alerts()).isEqualTo(new AlertsConfig("", List.of(), Duration.ofMinutes(5), ""));
    }

    @Test
    void everyKeyIsRead() throws IOException {
        GatewayConfig config = load(MODELS + """
                drift:
                  enabled: false
                  interval_seconds: 60
                  window_minutes: 0.25
                  min_samples: 500
                  fire_after: 3
                  resolve_after: 4
                  share_threshold: 0.2
                  sample_rows: 2000
                  query_timeout_seconds: 30
                  methods:
                    amount: {method: psi, threshold: 0.25}
                    country: {method: chi_square}
                alerts:
                  alertmanager_url: http://am:9093
                  webhooks:
                    - {url: "https://hooks.slack.example/T1", slack: true}
                    - {url: "http://pager.example/hook"}
                  resend_seconds: 120
                  dashboard_url_template: "https://grafana.example/d/drift?var-model={model}"
                """, Map.of("MODELGATE_ALERTMANAGER_URL", "http://alertmanager.prod:9093"));

        assertThat(config.drift()).isEqualTo(new DriftConfig(false, Duration.ofSeconds(60), Duration.ofSeconds(15), 500, 3, 4,
                0.2, 2_000, Map.of("amount", new MethodChoice(DriftMethod.PSI, 0.25),
                        "country", MethodChoice.withDefaultThreshold(DriftMethod.CHI_SQUARE)), Duration.ofSeconds(30)));
        assertThat(config.alerts()).isEqualTo(new AlertsConfig("http://alertmanager.prod:9093",
                List.of(new AlertsConfig.Webhook("https://hooks.slack.example/T1", true),
                        new AlertsConfig.Webhook("http://pager.example/hook", false)),
                Duration.ofSeconds(120), "https://grafana.example/d/drift?var-model={model}"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> load(MODELS + "drift: {share_threshold: 1.5}\n", Map.of()))
                .hasMessageStartingWith("drift.share_threshold: must be in (0, 1]");
        assertThatThrownBy(() -> load(MODELS + "drift: {methods: {amount: {method: magic}}}\n", Map.of()))
                .hasMessageStartingWith("drift.methods.amount.method: unknown method 'magic'");
        assertThatThrownBy(() -> load(MODELS + "drift: {methods: {amount: {method: ks, threshold: 2}}}\n", Map.of()))
                .hasMessageStartingWith("drift.methods.amount.method: unknown method 'ks'");
        assertThatThrownBy(() -> load(MODELS + "drift: {methods: {amount: {method: kolmogorov_smirnov, threshold: 2}}}\n", Map.of()))
                .hasMessageStartingWith("drift.methods.amount.threshold:");
        assertThatThrownBy(() -> load(MODELS + "drift: {window_minutes: 0}\n", Map.of()))
                .hasMessageStartingWith("drift.window_minutes: must be between 0.05 and 44640");
        assertThatThrownBy(() -> load(MODELS + "drift: {sample_rows: 10}\n", Map.of()))
                .hasMessageStartingWith("drift.sample_rows: must be between 1000");
        assertThatThrownBy(() -> load(MODELS + "alerts: {webhooks: [{url: 'ftp://x'}]}\n", Map.of()))
                .hasMessageStartingWith("alerts.webhooks[0].url: must be an http(s) URL");
        assertThatThrownBy(() -> load(MODELS + "alerts: {webhooks: [{slack: true}]}\n", Map.of()))
                .hasMessageStartingWith("alerts.webhooks[0].url: is required");
        assertThatThrownBy(() -> load(MODELS + "alerts: {alertmanagr_url: 'http://x'}\n", Map.of()))
                .hasMessageStartingWith("alerts.alertmanagr_url: unknown key");
    }

    private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
        return files.load(yaml, env);
    }
}
