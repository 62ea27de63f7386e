package dev.modelgate.gateway.batch.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text built as bytes in one reusable array and handed to a stream in large writes: a result file is
 * millions of short fields, and a {@code Writer} would encode each of them through a charset on its own.
 * ASCII text (numbers, names already checked) is copied as it is; other text goes through UTF-8.
 */
final class AsciiBuffer {

    private final OutputStream target;
    private final byte[] buffer;
    private int position;

    AsciiBuffer(OutputStream target, int capacity) {
        this.target = target;
        this.buffer = new byte[capacity];
    }

    void comma() throws IOException {
        ensure(1);
        buffer[position++] = ',';
    }

    void newline() throws IOException {
        ensure(1);
        buffer[position++] = '\n';
    }

    /** A non-negative or negative integer in decimal. */
    void number(long value) throws IOException {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                ascii(Long.toString(value));
                return;
            }
            buffer[position++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int at = position + digits;
        long rest = value;
        do {
            buffer[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        position += digits;
    }

    /** Text known to be ASCII (numbers as Java prints them, fixed fields). */
    @SuppressWarnings("deprecation")
    void ascii(String text) throws IOException {
        int n = text.length();
        if (n > buffer.length) {
            flush();
            target.write(text.getBytes(StandardCharsets.US_ASCII));
            return;
        }
        ensure(n);
        // copies the low byte of each char: exact for ASCII, without an encoder
        text.getBytes(0, n, buffer, position);
        position += n;
    }

    /** Any text, as UTF-8. */
    void text(String text) throws IOException {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                bytes(text.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        ascii(text);
    }

    void bytes(byte[] value) throws IOException {
        if (value.length > buffer.length) {
            flush();
            target.write(value);
            return;
        }
        ensure(value.length);
        System.arraycopy(value, 0, buffer, position, value.length);
        position += value.length;
    }

    void flush() throws IOException {
        if (position > 0) {
            target.write(buffer, 0, position);
            position = 0;
        }
    }

    private void ensure(int bytes) throws IOException {
        if (position + bytes > buffer.length) {
            flush();
        }
    }
}
