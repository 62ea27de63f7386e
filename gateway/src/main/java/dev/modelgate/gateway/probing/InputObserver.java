package dev.modelgate.gateway.probing;

/** Sees the inputs of served requests made with an API key; called on the request path, so O(1). */
@FunctionalInterface
public interface InputObserver {

    InputObserver NONE = (key, model, tensor, features) -> {};

    /** @param features the first row of the request's first input, {@code tensor} */
    void observe(String key, String model, String tensor, double[] features);
}
