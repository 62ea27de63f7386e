package dev.modelgate.inference.remote.json;

import io.vertx.core.buffer.Buffer;

import java.io.OutputStream;

/**
 * Lets a Jackson generator write straight into the Vert.x buffer that becomes the request body, so a
 * request is serialised once, without a byte[] copy in between.
 */
public final class BufferOutputStream extends OutputStream {

    private final Buffer buffer;

    public BufferOutputStream(Buffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void write(int b) {
        buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.appendBytes(bytes, offset, length);
    }
}
