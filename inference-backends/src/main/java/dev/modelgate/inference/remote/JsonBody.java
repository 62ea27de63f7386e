package dev.modelgate.inference.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/** A response body that can be parsed as often as a protocol needs (once, for all but JSON-pointer mappings). */
public final class JsonBody {

    private final JsonFactory factory;
    private final byte[] bytes;

    JsonBody(JsonFactory factory, byte[] bytes) {
        this.factory = factory;
        this.bytes = bytes;
    }

    /** A new parser at the start of the body; the caller closes it. */
    public JsonParser open() throws IOException {
        return factory.createParser(bytes);
    }
}
