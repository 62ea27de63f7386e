package dev.modelgate.inference.resilience;

import dev.modelgate.inference.ForwardingBackend;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.vertx.core.Future;

/**
 * Admits a call only while fewer than the bulkhead's limit are in flight; otherwise fails it at once
 * with {@code OVERLOADED}. The permit is held until the wrapped call really ends (not when an outer
 * timeout gives up on it), so the limit bounds what the backend actually carries.
 */
public final class BulkheadBackend extends ForwardingBackend {

    private final Bulkhead bulkhead;

    public BulkheadBackend(Bulkhead bulkhead, InferenceBackend delegate) {
        super(delegate);
        this.bulkhead = bulkhead;
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        if (!bulkhead.tryAcquirePermission()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.OVERLOADED,
                    "backend '" + bulkhead.getName() + "' has " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                            + " calls in flight already"));
        }
        return delegate.infer(request).andThen(done -> bulkhead.onComplete());
    }
}
