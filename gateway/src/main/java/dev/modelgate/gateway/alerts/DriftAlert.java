package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.gateway.drift.DriftWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One notification about a variant's drift alert: the same alert (same {@code startsAt}) is sent when
 * it fires, re-sent while it fires, and sent once more, with {@code endsAt} in the past, when it resolves.
 *
 * @param endsAt while firing: when receivers may consider the alert stale if no re-send arrives; when
 *     resolved: the resolution time
 * @param window the window of the run behind this notification
 * @param driftedFeatures the features judged drifted in that run (empty when it was not evaluated)
 * @param dashboardUrl link for humans; empty when none is configured
 */
public record DriftAlert(String model, String variant, boolean firing, Instant startsAt, Instant endsAt, DriftWindow window,
                         List<FeatureDrift> driftedFeatures, double driftedShare, double shareThreshold, String dashboardUrl)
        implements Notification {

    public static final String ALERT_NAME = "ModelDrift";
    public static final String SEVERITY = "warning";

    public DriftAlert {
        driftedFeatures = List.copyOf(driftedFeatures);
    }

    @Override
    public String alertName() {
        return ALERT_NAME;
    }

    @Override
    public JsonArray alertmanagerBody() {
        return AlertmanagerPayload.of(this);
    }

    @Override
    public JsonObject webhookBody(boolean slack) {
        return WebhookPayload.of(this, slack);
    }

    public Optional<String> dashboard() {
        return dashboardUrl.isEmpty() ? Optional.empty() : Optional.of(dashboardUrl);
    }

    /** One line for humans, e.g. "fraud-score/v1: data drift in 3 features (amount, ...)". */
    public String summary() {
        if (!firing) {
            return model + "/" + variant + ": data drift resolved";
        }
        List<String> names = driftedFeatures.stream().map(FeatureDrift::feature).toList();
        return model + "/" + variant + ": data drift in " + names.size() + " feature" + (names.size() == 1 ? "" : "s")
                + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }
}
