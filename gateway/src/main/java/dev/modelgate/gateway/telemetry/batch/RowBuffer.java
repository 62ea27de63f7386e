package dev.modelgate.gateway.telemetry.batch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of one batch, reused from batch to batch. Adds to ByteArrayOutputStream the two things
 * the writer needs without copying: cutting back a half-written row, and reading the bytes in place.
 */
final class RowBuffer extends ByteArrayOutputStream {

    RowBuffer(int initialCapacity) {
        super(initialCapacity);
    }

    synchronized void truncate(int newSize) {
        if (newSize < 0 || newSize > count) {
            throw new IllegalArgumentException("cannot truncate " + count + " bytes to " + newSize);
        }
        count = newSize;
    }

    /**
     * Empties the buffer and gives back memory a large batch grew it to, so that one burst of big rows
     * does not pin its peak size for the life of the process.
     */
    synchronized void reset(int retainAtMost) {
        count = 0;
        if (buf.length > retainAtMost) {
            buf = new byte[retainAtMost];
        }
    }

    synchronized ByteArrayInputStream asInputStream() {
        return new ByteArrayInputStream(buf, 0, count);
    }

    synchronized void copyTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }
}
