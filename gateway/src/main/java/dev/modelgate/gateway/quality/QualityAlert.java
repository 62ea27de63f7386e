package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.alerts.Notification;
import dev.modelgate.gateway.drift.DriftWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * A variant's quality alert: its alert metric is significantly worse than the baseline. Labels hold
 * only what identifies the alert (Alertmanager groups on them); values go into annotations.
 *
 * @param source {@code realised} or {@code estimated} (CBPE, labels still missing)
 * @param dashboardUrl empty when none is configured
 */
public record QualityAlert(String model, String variant, boolean firing, Instant startsAt, Instant endsAt, String metric,
                           String source, double baseline, double current, double pValue, long sampleSize, DriftWindow window,
                           String dashboardUrl) implements Notification {

    public static final String ALERT_NAME = "ModelQualityDegraded";
    public static final String SEVERITY = "warning";

    @Override
    public String alertName() {
        return ALERT_NAME;
    }

    /** e.g. "fraud-score/v2: roc_auc 0.612 below baseline 0.834 (realised, p=3.1e-06, 480 rows)". */
    public String summary() {
        if (!firing) {
            return model + "/" + variant + ": " + metric + " back to its baseline";
        }
        return String.format(Locale.ROOT, "%s/%s: %s %.3f worse than baseline %.3f (%s, p=%.2g, %d rows)", model, variant, metric,
                current, baseline, source, pValue, sampleSize);
    }

    @Override
    public JsonArray alertmanagerBody() {
        JsonObject labels = new JsonObject().put("alertname", ALERT_NAME).put("model", model).put("variant", variant)
                .put("metric", metric).put("severity", SEVERITY);
        JsonObject annotations = new JsonObject().put("summary", summary()).put("source", source)
                .put("window", window.start() + " .. " + window.end());
        JsonObject alert = new JsonObject().put("labels", labels).put("annotations", annotations)
                .put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString());
        if (!dashboardUrl.isEmpty()) {
            annotations.put("dashboard", dashboardUrl);
            alert.put("generatorURL", dashboardUrl);
        }
        return new JsonArray().add(alert);
    }

    @Override
    public JsonObject webhookBody(boolean slack) {
        JsonObject body = new JsonObject().put("alertname", ALERT_NAME).put("status", firing ? "firing" : "resolved")
                .put("model", model).put("variant", variant).put("severity", SEVERITY).put("summary", summary())
                .put("metric", metric).put("source", source).put("baseline", MetricSetJson.finite(baseline))
                .put("current", MetricSetJson.finite(current)).put("p_value", MetricSetJson.finite(pValue))
                .put("labelled_rows", sampleSize).put("starts_at", startsAt.toString()).put("ends_at", endsAt.toString())
                .put("window_start", window.start().toString()).put("window_end", window.end().toString())
                .put("dashboard_url", dashboardUrl);
        if (slack) {
            body.put("text", (firing ? ":warning: *" : ":white_check_mark: *") + summary() + "*"
                    + (dashboardUrl.isEmpty() ? "" : "\n<" + dashboardUrl + "|dashboard>"));
        }
        return body;
    }
}
