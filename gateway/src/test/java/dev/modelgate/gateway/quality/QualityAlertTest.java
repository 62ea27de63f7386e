package dev.modelgate.gateway.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.drift.DriftWindow;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What Alertmanager and webhooks receive about a degraded variant. */
class QualityAlertTest {

    private static final Instant STARTS = Instant.parse("2026-12-07T05:00:00Z");
    private final QualityAlert firing = new QualityAlert("fraud-score", "v2", true, STARTS, STARTS.plusSeconds(1_200), "roc_auc",
            "realised", 0.834, 0.612, 3.1e-6, 480, new DriftWindow(STARTS.minusSeconds(3_600), STARTS),
            "http://grafana/d/modelgate-quality?var-model=fraud-score");

    @Test
    void alertmanagerGetsStableLabelsAndTheNumbersInAnnotations() {
        JsonObject alert = firing.alertmanagerBody().getJsonObject(0);

        assertThat(alert.getJsonObject("labels").getMap()).containsOnly(
                java.util.Map.entry("alertname", "ModelQualityDegraded"), java.util.Map.entry("model", "fraud-score"),
                java.util.Map.entry("variant", "v2"), java.util.Map.entry("metric", "roc_auc"), java.util.Map.entry("severity", "warning"));
        assertThat(alert.getJsonObject("annotations").getString("summary"))
                .isEqualTo("fraud-score/v2: roc_auc 0.612 worse than baseline 0.834 (realised, p=3.1e-06, 480 rows)");
        assertThat(alert.getString("endsAt")).isEqualTo("2026-12-07T05:20:00Z");
        assertThat(alert.getString("generatorURL")).startsWith("http://grafana/");
    }

    @Test
    void webhooksGetPlainJsonAndSlackText() {
        JsonObject body = firing.webhookBody(true);

        assertThat(body.getString("status")).isEqualTo("firing");
        assertThat(body.getDouble("baseline")).isEqualTo(0.834);
        assertThat(body.getLong("labelled_rows")).isEqualTo(480);
        assertThat(body.getString("text")).startsWith(":warning: *fraud-score/v2: roc_auc");
        QualityAlert resolved = new QualityAlert("fraud-score", "v2", false, STARTS, STARTS.plusSeconds(60), "roc_auc", "realised",
                Double.NaN, Double.NaN, Double.NaN, 0, firing.window(), "");
        assertThat(resolved.webhookBody(false).getString("summary")).isEqualTo("fraud-score/v2: roc_auc back to its baseline");
        assertThat(resolved.webhookBody(false).getValue("p_value")).isNull();
    }
}
