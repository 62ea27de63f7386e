package dev.modelgate.gateway.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts}: a JSON array of postable alerts. Labels
 * identify the alert (Alertmanager deduplicates and groups on them), so they hold only stable values;
 * everything that changes from run to run goes into annotations.
 */
final class AlertmanagerPayload {

    private AlertmanagerPayload() {
    }

    static JsonArray of(DriftAlert alert) {
        JsonObject labels = new JsonObject()
                .put("alertname", DriftAlert.ALERT_NAME)
                .put("model", alert.model())
                .put("variant", alert.variant())
                .put("severity", DriftAlert.SEVERITY);
        JsonObject annotations = new JsonObject()
                .put("summary", alert.summary())
                .put("drifted_features", AlertText.features(alert))
                .put("statistics", AlertText.statistics(alert))
                .put("drifted_share", AlertText.share(alert))
                .put("window", AlertText.window(alert));
        JsonObject posted = new JsonObject()
                .put("labels", labels)
                .put("annotations", annotations)
                .put("startsAt", alert.startsAt().toString())
                .put("endsAt", alert.endsAt().toString());
        alert.dashboard().ifPresent(url -> {
            annotations.put("dashboard", url);
            posted.put("generatorURL", url);
        });
        return new JsonArray().add(posted);
    }
}
