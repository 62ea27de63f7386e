package dev.modelgate.gateway.api;

import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.InferenceException;
import java.util.concurrent.TimeoutException;

/** The HTTP status and caller-facing message of a failed inference. */
final class FailureStatus {

    private FailureStatus() {}

    static int of(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return 504;
        }
        if (failure instanceof InferenceException e) {
            return switch (e.kind()) {
                case INVALID_INPUT -> 400;
                case TIMEOUT -> 504;
                case OVERLOADED, BACKEND_FAILURE -> 503;
            };
        }
        return 503;
    }

    /** @param budgetMillis the deadline the call had: the model's, or a shorter one the caller set */
    static String message(Throwable failure, ServedModel model, long budgetMillis) {
        if (failure instanceof TimeoutException) {
            return "model '" + model.name() + "' did not answer within " + budgetMillis + " ms";
        }
        if (failure instanceof InferenceException e && e.kind() == InferenceException.Kind.INVALID_INPUT) {
            return e.getMessage();
        }
        return "model '" + model.name() + "' failed: " + failure.getMessage();
    }

    static String outcome(int status) {
        return status == 200 ? "ok" : status == 504 ? "timeout" : status == 400 ? "rejected" : "error";
    }
}
