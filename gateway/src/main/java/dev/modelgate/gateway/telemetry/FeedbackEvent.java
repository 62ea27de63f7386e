package dev.modelgate.gateway.telemetry;

import java.util.Objects;

/**
 * One row of {@code feedback}: an outcome reported for a request the gateway served, joined to
 * {@code predictions} by request id when experiments are analysed.
 *
 * @param feedbackId     unique per row, generated on receipt (lets the writer tell whether a row landed)
 * @param eventTimeMillis when the outcome happened: the caller's {@code time}, else the receipt time
 * @param receivedMillis  when the gateway accepted it
 * @param apiKey          the name of the reporting caller's API key; empty for an anonymous caller
 */
public record FeedbackEvent(String feedbackId, String requestId, String metric, double value, long eventTimeMillis,
                            long receivedMillis, String instanceId, String apiKey) {

    public FeedbackEvent {
        Objects.requireNonNull(feedbackId, "feedbackId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(apiKey, "apiKey");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
    }

    public FeedbackEvent withApiKey(String name) {
        return new FeedbackEvent(feedbackId, requestId, metric, value, eventTimeMillis, receivedMillis, instanceId, name);
    }
}
