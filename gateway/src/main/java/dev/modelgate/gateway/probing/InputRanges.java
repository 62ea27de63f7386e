package dev.modelgate.gateway.probing;

/** Per column of a model's input, the range its reference data covered; called off the event loop. */
@FunctionalInterface
public interface InputRanges {

    InputRanges NONE = (model, tensor, width) -> null;

    /** {min, max} per column of a {@code width}-column row of {@code tensor}; null when no reference is known. */
    double[][] of(String model, String tensor, int width);
}
