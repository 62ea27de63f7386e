package dev.modelgate.gateway.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The body sent to generic webhooks: the alert as plain JSON, plus a Slack-compatible {@code text}
 * (Slack incoming webhooks read only that field and ignore the others) when the hook asks for it.
 */
final class WebhookPayload {

    private WebhookPayload() {
    }

    static JsonObject of(DriftAlert alert, boolean slack) {
        JsonArray features = new JsonArray();
        alert.driftedFeatures().forEach(f -> features.add(new JsonObject()
                .put("feature", f.feature())
                .put("method", f.method().name().toLowerCase(Locale.ROOT))
                .put("statistic", finiteOrNull(f.statistic()))
                .put("p_value", finiteOrNull(f.adjustedPValue()))
                .put("threshold", f.threshold())));
        JsonObject body = new JsonObject()
                .put("alertname", DriftAlert.ALERT_NAME)
                .put("status", alert.firing() ? "firing" : "resolved")
                .put("model", alert.model())
                .put("variant", alert.variant())
                .put("severity", DriftAlert.SEVERITY)
                .put("summary", alert.summary())
                .put("starts_at", alert.startsAt().toString())
                .put("ends_at", alert.endsAt().toString())
                .put("window_start", alert.window().start().toString())
                .put("window_end", alert.window().end().toString())
                .put("drifted_share", finiteOrNull(alert.driftedShare()))
                .put("share_threshold", finiteOrNull(alert.shareThreshold()))
                .put("drifted_features", features)
                .put("dashboard_url", alert.dashboardUrl());
        if (slack) {
            body.put("text", slackText(alert));
        }
        return body;
    }

    private static String slackText(DriftAlert alert) {
        String icon = alert.firing() ? ":warning:" : ":white_check_mark:";
        StringBuilder text = new StringBuilder(icon).append(" *").append(alert.summary()).append('*');
        if (alert.firing() && !alert.driftedFeatures().isEmpty()) {
            text.append("\n").append(AlertText.statistics(alert));
        }
        text.append("\nwindow ").append(AlertText.window(alert));
        alert.dashboard().ifPresent(url -> text.append("\n<").append(url).append("|dashboard>"));
        return text.toString();
    }

    /** JSON has no NaN: a statistic that does not apply (a distance's p-value) is null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
