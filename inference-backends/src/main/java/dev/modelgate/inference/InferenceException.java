package dev.modelgate.inference;

/**
 * Why an inference failed, in terms the gateway maps to a status code: the request was invalid for
 * the model (400), the backend is saturated (429/503), the backend timed out (504), or it failed (503).
 */
public class InferenceException extends RuntimeException {

    public enum Kind { INVALID_INPUT, OVERLOADED, TIMEOUT, BACKEND_FAILURE }

    private final Kind kind;

    public InferenceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public InferenceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static InferenceException invalidInput(String message) {
        return new InferenceException(Kind.INVALID_INPUT, message);
    }
}
