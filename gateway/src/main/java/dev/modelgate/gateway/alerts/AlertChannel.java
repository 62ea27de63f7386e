package dev.modelgate.gateway.alerts;

import io.vertx.core.Future;

/** A destination for alerts (Alertmanager, a webhook). */
public interface AlertChannel {

    /** For logs and metrics, e.g. {@code alertmanager http://am:9093}. */
    String name();

    /**
     * Sends the alert, retrying in the background; never blocks. The future succeeds once the receiver
     * accepted it and fails when the channel gave up or a newer notification of the same alert replaced it.
     */
    Future<Void> deliver(Notification alert);
}
