package dev.modelgate.gateway.serving;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import io.vertx.core.Future;

/** A variant's backend in tests that build routes and exchanges without calling a model: any call fails the test. */
public final class UncalledBackend implements InferenceBackend {

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        throw new UnsupportedOperationException("this test calls no backend");
    }

    @Override
    public ModelMetadata metadata() {
        throw new UnsupportedOperationException("this test reads no metadata");
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void close() {
    }
}
