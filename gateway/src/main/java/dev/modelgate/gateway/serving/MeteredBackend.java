package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Future;
import java.util.concurrent.TimeoutException;

/** Times every call of a variant's backend ({@code modelgate_backend_seconds{model,variant,outcome}}). */
final class MeteredBackend extends ForwardingBackend {

    private final String model;
    private final String variant;
    private final GatewayMetrics metrics;

    MeteredBackend(String model, String variant, InferenceBackend delegate, GatewayMetrics metrics) {
        super(delegate);
        this.model = model;
        this.variant = variant;
        this.metrics = metrics;
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        long start = System.nanoTime();
        return delegate.infer(request).andThen(result ->
                metrics.recordBackend(model, variant, result.succeeded() ? "ok" : outcome(result.cause()), System.nanoTime() - start));
    }

    private static String outcome(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "timeout";
        }
        if (failure instanceof InferenceException e) {
            return switch (e.kind()) {
                case INVALID_INPUT -> "rejected";
                case TIMEOUT -> "timeout";
                case OVERLOADED -> "overloaded";
                case BACKEND_FAILURE -> "error";
            };
        }
        return "error";
    }
}
