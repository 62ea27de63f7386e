package dev.modelgate.inference;


/**
 * A backend around another one (a policy, a meter): everything but {@code infer} is the wrapped
 * backend's, so a decorator only says what it adds.
 */
public abstract class ForwardingBackend implements InferenceBackend {

    protected final InferenceBackend delegate;

    protected ForwardingBackend(InferenceBackend delegate) {
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
