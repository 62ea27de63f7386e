package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.ModelMetadata;

/** A policy around another backend: everything but {@code infer} is the wrapped backend's. */
abstract class DecoratedBackend implements InferenceBackend {

    protected final InferenceBackend delegate;

    DecoratedBackend(InferenceBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public ModelMetadata metadata() {
        return delegate.metadata();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
