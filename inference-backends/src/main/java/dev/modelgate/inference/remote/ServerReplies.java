package dev.modelgate.inference.remote;

import dev.modelgate.inference.InferenceException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads a model server's error answers. KServe, Triton and TF Serving put the reason in
 * {@code {"error": "..."}}, TorchServe in {@code {"code": 400, "type": "...", "message": "..."}}; anything
 * else is quoted as text.
 */
final class ServerReplies {

    private static final int MAX_MESSAGE = 500;

    private ServerReplies() {
    }

    /**
     * 400/413/422 mean the server refused this input: the caller's fault, with the server's words.
     * 429 is the server shedding load. Other 4xx (404 model not found, 401...) are our configuration's
     * fault, and 5xx the server's: both are backend failures the caller cannot fix.
     */
    static InferenceException failure(String model, int status, Buffer body) {
        String message = messageOf(body);
        return switch (status) {
            case 400, 413, 422 -> InferenceException.invalidInput("model '" + model + "' rejected the input: " + message);
            case 429 -> new InferenceException(InferenceException.Kind.OVERLOADED,
                    "model '" + model + "' is overloaded (HTTP 429): " + message);
            default -> new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + model + "' failed with HTTP " + status + ": " + message);
        };
    }

    static String messageOf(Buffer body) {
        if (body == null || body.length() == 0) {
            return "(empty body)";
        }
        String text = body.toString();
        try {
            JsonObject json = new JsonObject(body);
            Object reason = json.getValue("error", json.getValue("message"));
            if (reason instanceof String s) {
                return truncate(s);
            }
        } catch (DecodeException | ClassCastException notJsonObject) {
            // not the JSON error shape: quote the text
        }
        return truncate(text);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }
}
