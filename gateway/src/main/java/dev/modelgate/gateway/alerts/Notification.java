package dev.modelgate.gateway.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One notification about a model variant's alert (drift, quality), in the formats the channels send.
 * A channel delivers only the newest notification of the same alert name, model and variant.
 */
public interface Notification {

    /** Alertmanager's {@code alertname}, e.g. {@code ModelDrift}. */
    String alertName();

    String model();

    String variant();

    boolean firing();

    /** The body of Alertmanager's {@code POST /api/v2/alerts}. */
    JsonArray alertmanagerBody();

    /** The body of a generic webhook; with {@code slack}, also a Slack-compatible {@code text}. */
    JsonObject webhookBody(boolean slack);
}
