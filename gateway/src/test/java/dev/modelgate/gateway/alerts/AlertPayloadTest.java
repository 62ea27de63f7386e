package dev.modelgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON receivers get: Alertmanager's v2 postable alerts, and the generic/Slack webhook body. */
class AlertPayloadTest {

    private static final Instant STARTS = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void alertmanagerGetsStableLabelsAndTheChangingDetailsAsAnnotations() {
        JsonArray body = AlertmanagerPayload.of(TestAlerts.firing("fraud-score", "v1", STARTS));

        assertThat(body).hasSize(1);
        JsonObject alert = body.getJsonObject(0);
        assertThat(alert.getJsonObject("labels").getMap()).containsOnly(
                entry("alertname", "ModelDrift"),
                entry("model", "fraud-score"),
                entry("variant", "v1"),
                entry("severity", "warning"));
        JsonObject annotations = alert.getJsonObject("annotations");
        assertThat(annotations.getString("summary")).isEqualTo("fraud-score/v1: data drift in 2 features (amount, is_foreign)");
        assertThat(annotations.getString("drifted_features")).isEqualTo("amount, is_foreign");
        assertThat(annotations.getString("statistics")).isEqualTo(
                "amount: wasserstein_normed=0.8313 (threshold 0.1); is_foreign: chi_square=41.50 p=3.60e-10 (threshold 0.05)");
        assertThat(annotations.getString("window")).isEqualTo("2026-03-01T11:00:01Z .. 2026-03-01T12:00:01Z");
        assertThat(annotations.getString("dashboard")).isEqualTo("https://grafana.example/d/drift?var-model=fraud-score");
        assertThat(alert.getString("startsAt")).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(alert.getString("endsAt")).isEqualTo("2026-03-01T12:20:00Z");
        assertThat(alert.getString("generatorURL")).isEqualTo("https://grafana.example/d/drift?var-model=fraud-score");
    }

    @Test
    void aResolutionIsTheSameAlertEndingNow() {
        DriftAlert fired = TestAlerts.firing("fraud-score", "v1", STARTS);
        JsonObject alert = AlertmanagerPayload.of(TestAlerts.resolved(fired, STARTS.plusSeconds(600))).getJsonObject(0);

        assertThat(alert.getJsonObject("labels")).isEqualTo(AlertmanagerPayload.of(fired).getJsonObject(0).getJsonObject("labels"));
        assertThat(alert.getString("startsAt")).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(alert.getString("endsAt")).isEqualTo("2026-03-01T12:10:00Z");
        assertThat(alert.getJsonObject("annotations").getString("summary")).isEqualTo("fraud-score/v1: data drift resolved");
    }

    @Test
    void webhooksGetPlainJsonAndSlackAlsoATextLine() {
        DriftAlert fired = TestAlerts.firing("fraud-score", "v1", STARTS);
        JsonObject plain = WebhookPayload.of(fired, false);
        JsonObject slack = WebhookPayload.of(fired, true);

        assertThat(plain.getString("status")).isEqualTo("firing");
        assertThat(plain.containsKey("text")).isFalse();
        JsonObject amount = plain.getJsonArray("drifted_features").getJsonObject(0);
        assertThat(amount.getString("feature")).isEqualTo("amount");
        assertThat(amount.getDouble("statistic")).isEqualTo(0.83125);
        assertThat(amount.containsKey("p_value") && amount.getValue("p_value") == null).isTrue();
        assertThat(plain.getJsonArray("drifted_features").getJsonObject(1).getDouble("p_value")).isEqualTo(3.6e-10);
        assertThat(slack.getString("text")).startsWith(":warning: *fraud-score/v1: data drift in 2 features (amount, is_foreign)*")
                .contains("amount: wasserstein_normed=0.8313")
                .endsWith("<https://grafana.example/d/drift?var-model=fraud-score|dashboard>");
        assertThat(WebhookPayload.of(TestAlerts.resolved(fired, STARTS.plusSeconds(60)), false).getString("status")).isEqualTo("resolved");
    }
}
