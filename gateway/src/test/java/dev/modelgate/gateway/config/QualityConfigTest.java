package dev.modelgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.statistics.quality.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code quality:} section and the models' {@code quality:} declarations, as the README documents them. */
class QualityConfigTest {

    @TempDir
    Path dir;

    @BeforeEach
    void modelFile() throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "not really onnx; the loader only checks the file exists");
    }

    private GatewayConfig load(String quality, String top) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                models:
                  fraud:
                    variants:
                      v1:
                        backend: {type: onnx, path: model.onnx}
                %s
                %s
                """.formatted(quality.isEmpty() ? "" : "    quality: " + quality, top));
        return new ConfigLoader(Map.of()).load(file);
    }

    @Test
    void aBinaryDeclarationWithItsDefaults() throws IOException {
        GatewayConfig config = load("{task: binary_classification, label_metric: chargeback, label_delay_minutes: 1440}", "");

        QualitySpec spec = config.models().get("fraud").quality().orElseThrow();
        assertThat(spec.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
        assertThat(spec.labelMetric()).isEqualTo("chargeback");
        assertThat(spec.threshold()).isEqualTo(0.5);
        assertThat(spec.labelDelay()).isEqualTo(Duration.ofDays(1));
        assertThat(spec.window()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.alertMetric()).isEqualTo("roc_auc");
        assertThat(spec.calibrationBins()).isEqualTo(10);
        assertThat(config.quality()).isEqualTo(new QualityConfig(true, Duration.ofMinutes(5), 200, 2, 2, 0.01, 400, Duration.ofSeconds(60)));
    }

    @Test
    void aModelWithoutDeclarationIsNotMonitored() throws IOException {
        assertThat(load("", "quality: {alpha: 0.05, fire_after: 3}").models().get("fraud").quality()).isEmpty();
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> load("{task: ranking, label_metric: clicked}", ""))
                .hasMessageContaining("models.fraud.quality.task").hasMessageContaining("binary_classification");
        assertThatThrownBy(() -> load("{task: multiclass, label_metric: species, score_output: probs}", ""))
                .hasMessageContaining("classes");
        assertThatThrownBy(() -> load("{task: regression, label_metric: amount, alert_metric: roc_auc}", ""))
                .hasMessageContaining("alert_metric").hasMessageContaining("mae");
        assertThatThrownBy(() -> load("{task: binary_classification}", "")).hasMessageContaining("label_metric");
        assertThatThrownBy(() -> load("", "quality: {alpha: 2}")).hasMessageContaining("quality.alpha");
    }
}
