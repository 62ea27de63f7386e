package dev.modelgate.gateway.api;

/**
 * A request that cannot be served, with the HTTP status and the message the caller gets in
 * {@code {"error": "..."}}. Thrown before any work is done, so it carries no stack trace.
 */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
