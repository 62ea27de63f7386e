package dev.modelgate.inference.remote;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A model server's answer, read in full: its status and its body (empty, never null, when it sent none).
 *
 * @param statusCode the HTTP status, whatever it is: judging it is the caller's business
 * @param body       the body bytes as received
 */
public record HttpReply(int statusCode, Buffer body) {

    public HttpReply {
        Objects.requireNonNull(body, "body");
    }

    public String bodyAsString() {
        return body.toString();
    }

    /** The body as a JSON object; throws {@link io.vertx.core.json.DecodeException} when it is not one. */
    public JsonObject bodyAsJsonObject() {
        return new JsonObject(body);
    }
}
