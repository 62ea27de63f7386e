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

    private final int initialCapacity;

    RowBuffer(int initialCapacity) {
        super(initialCapacity);
        this.initialCapacity = initialCapacity;
    }

    synchronized void truncate(int newSize) {
        if (newSize < 0 || newSize > count) {
            throw new IllegalArgumentException("cannot truncate " + count + " bytes to " + newSize);
        }
        count = newSize;
    }

    /**
     * Empties the buffer, keeping its capacity up to {@code retainAtMost} bytes: the next batch needs about
     * as much, and growing it again by doubling would allocate it twice over. Beyond that (a freak row) the
     * memory is given back, so that one burst of big rows does not pin its peak size for the life of the process.
     */
    synchronized void reset(int retainAtMost) {
        count = 0;
        if (buf.length > retainAtMost) {
            buf = new byte[initialCapacity];
        }
    }

    synchronized ByteArrayInputStream asInputStream() {
        return new ByteArrayInputStream(buf, 0, count);
    }

    synchronized void copyTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }
}
