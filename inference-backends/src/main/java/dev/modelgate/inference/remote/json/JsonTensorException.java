package dev.modelgate.inference.remote.json;

/**
 * A JSON document that does not hold the tensor it should (ragged lists, a string where a number
 * belongs, a missing field). The backend that read it decides whose fault that is: a server's
 * response that does not parse is the server's failure.
 */
public final class JsonTensorException extends RuntimeException {

    public JsonTensorException(String message) {
        super(message);
    }
}
