package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceResponse;

import java.util.Objects;

/**
 * A response and who produced it, so the gateway can record the assigned and the served variant apart.
 *
 * @param servedBy the name of the backend that answered, or {@link #STATIC_DEFAULT}
 */
public record Served(String servedBy, InferenceResponse response) {

    /** The name under which the configured default response is reported. */
    public static final String STATIC_DEFAULT = "static-default";

    public Served {
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(response, "response");
    }

    public boolean isStaticDefault() {
        return STATIC_DEFAULT.equals(servedBy);
    }
}
