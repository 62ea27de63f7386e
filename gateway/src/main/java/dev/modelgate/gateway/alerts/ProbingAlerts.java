package dev.modelgate.gateway.alerts;

import dev.modelgate.gateway.probing.ProbingMonitor;
import dev.modelgate.gateway.probing.WindowSignals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the probing monitor's flags to Alertmanager as {@code ApiKeyProbing} alerts (label {@code key}).
 * The monitor reports a flagged key every window, so a firing alert is re-sent before its
 * {@code endsAt} (three windows ahead) and a lost send is repaired by the next one; a resolution is sent
 * with {@code endsAt} = now. Without an Alertmanager URL the flags are only logged.
 */
public final class ProbingAlerts implements Consumer<ProbingMonitor.Flag> {

    public static final String ALERT_NAME = "ApiKeyProbing";
    private static final Logger LOG = LoggerFactory.getLogger(ProbingAlerts.class);

    private final WebClient client;
    private final String url;
    private final Duration window;

    /** @param alertmanagerUrl empty for none */
    public ProbingAlerts(WebClient client, String alertmanagerUrl, Duration window) {
        this.client = client;
        this.url = alertmanagerUrl.isEmpty() ? "" : alertmanagerUrl.replaceAll("/+$", "") + AlertChannels.ALERTMANAGER_PATH;
        this.window = window;
    }

    @Override
    public void accept(ProbingMonitor.Flag flag) {
        WindowSignals s = flag.signals();
        String summary = String.format(Locale.ROOT, "API key %s: suspicion %.2f (sweep share %.2f, out of range %.2f, volume x%.1f,"
                + " low entropy %.2f) over %d requests", flag.key(), s.suspicion(), s.oneFeatureShare(), s.outOfRangeShare(),
                s.volumeRatio(), s.lowEntropy(), s.requests());
        LOG.warn("{} {}", flag.firing() ? "probing suspected:" : "probing no longer suspected:", summary);
        if (url.isEmpty()) {
            return;
        }
        JsonObject alert = new JsonObject()
                .put("labels", new JsonObject().put("alertname", ALERT_NAME).put("key", flag.key()).put("severity", "warning"))
                .put("annotations", new JsonObject().put("summary", summary))
                .put("endsAt", (flag.firing() ? flag.at().plus(window.multipliedBy(3)) : flag.at()).toString());
        client.postAbs(url).putHeader("Content-Type", "application/json").sendBuffer(new JsonArray().add(alert).toBuffer()).onComplete(ar -> {
            if (ar.failed() || ar.result().statusCode() >= 300) {
                LOG.warn("Alertmanager did not take the probing alert for key {}: {}", flag.key(),
                        ar.failed() ? ar.cause().toString() : "status " + ar.result().statusCode());
            }
        });
    }
}
