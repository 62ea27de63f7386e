package dev.modelgate.gateway.api;

import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import java.util.List;

/**
 * Everything known about one answered infer request: what came in, where it went, what came out and
 * how long it took. Built once the response is decided; the source of the request's log event.
 *
 * @param inputs       the decoded inputs (empty when decoding failed)
 * @param response     the model's answer (null unless the status is 200)
 * @param body         the raw request body as received
 * @param backendNanos time spent in the backend, 0 if it was not reached
 */
public record InferenceExchange(
        String requestId,
        long arrivalMillis,
        ServedModel model,
        Route route,
        String unitId,
        List<Tensor> inputs,
        byte[] body,
        InferenceResponse response,
        int status,
        String error,
        long totalNanos,
        long backendNanos) {}
