package dev.modelgate.inference;

import java.util.Objects;

/**
 * The caller's Open Inference Protocol JSON body exactly as it arrived, kept with a request when it
 * says nothing but what the request says: its tensors (flat, numeric), the requested outputs by name,
 * and, when {@code hasId}, the request's id; no parameters, no other fields. A backend speaking that
 * JSON may send it on as it is instead of encoding the tensors again.
 *
 * @param bytes the body, UTF-8
 * @param hasId whether the body names the request's id (a forwarder adds it when not)
 */
public record CallerJson(byte[] bytes, boolean hasId) {

    public CallerJson {
        Objects.requireNonNull(bytes, "bytes");
    }
}
