package dev.modelgate.gateway.api;

import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import java.util.List;

/**
 * Everything known about one answered inference, primary or shadow: what came in, where it went, what
 * came out and how long it took. The source of the request's log event.
 *
 * @param route        the routing decision (null when the request was rejected before routing)
 * @param served       the name of the variant that produced the answer (another than the route's on
 *                     fallback; {@code static-default} for the configured default response); empty when rejected
 * @param reason       why {@code served} served: the route's reason, or fallback / shadow
 * @param role         primary or shadow
 * @param inputs       the decoded inputs (empty when decoding failed)
 * @param response     the model's answer (null unless the status is 200)
 * @param body         the raw request body as received
 * @param backendNanos time spent in backends, 0 if none was reached
 * @param protocol     how the caller asked: {@link #REST} or {@link #GRPC}
 * @param apiKey       the name of the caller's API key; empty for an anonymous call
 */
public record InferenceExchange(
        String requestId,
        long arrivalMillis,
        ServedModel model,
        Route route,
        String served,
        String reason,
        String role,
        String unitId,
        List<Tensor> inputs,
        byte[] body,
        InferenceResponse response,
        int status,
        String error,
        long totalNanos,
        long backendNanos,
        String protocol,
        String apiKey) {

    public static final String REST = "rest";
    public static final String GRPC = "grpc";

    /** A primary request turned away before routing: no variant, no inputs, no time in a backend. */
    static InferenceExchange rejected(String requestId, long arrivalMillis, ServedModel model, String unitId, byte[] body,
                                      int status, String error, long totalNanos, String protocol, String apiKey) {
        return new InferenceExchange(requestId, arrivalMillis, model, null, null, "", PredictionEvent.ROLE_PRIMARY, unitId,
                List.of(), body, null, status, error, totalNanos, 0, protocol, apiKey);
    }

    public String experiment() {
        return route == null ? "" : route.experiment();
    }

    public String assignedVariant() {
        return route == null ? "" : route.variant().name();
    }

    public String servedVariant() {
        return served == null ? "" : served;
    }
}
