package dev.modelgate.gateway.telemetry.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes values in ClickHouse's RowBinary input format: fixed-width numbers little-endian, strings and
 * arrays prefixed by their length as an unsigned LEB128 varint, Date as UInt16 days and DateTime as
 * UInt32 seconds since the epoch (so, unlike text formats, independent of the server's time zone),
 * NaN and infinities as their IEEE 754 bits. Same layout on 18.16 and current servers.
 *
 * <p>Values are gathered in a reusable array and handed to the target stream in large chunks, at the
 * latest by {@link #endRow()}. Not thread-safe: one per writer thread.
 */
public final class RowBinaryOutput {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_UINT16 = 0xFFFF;
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;
    private static final int MAX_VARINT_BYTES = 10;

    private final byte[] chunk;
    private int position;
    private OutputStream target;

    public RowBinaryOutput(int chunkBytes) {
        if (chunkBytes < 64) {
            throw new IllegalArgumentException("chunkBytes must be at least 64, got " + chunkBytes);
        }
        this.chunk = new byte[chunkBytes];
    }

    /** Starts a row for {@code out}, forgetting whatever an abandoned row left unflushed. */
    public RowBinaryOutput beginRow(OutputStream out) {
        target = out;
        position = 0;
        return this;
    }

    /** Hands the rest of the row to the target stream. */
    public void endRow() throws IOException {
        flush();
    }

    /** {@code Date}: days since 1970-01-01. */
    public void date(long epochDay) throws IOException {
        uint16(Math.toIntExact(epochDay), "Date");
    }

    /** {@code DateTime}: seconds since the epoch, UTC. */
    public void dateTime(long epochSeconds) throws IOException {
        uint32(epochSeconds, "DateTime");
    }

    public void uint16(int value, String what) throws IOException {
        if (value < 0 || value > MAX_UINT16) {
            throw new IllegalArgumentException(what + " " + value + " does not fit UInt16");
        }
        ensure(2);
        chunk[position++] = (byte) value;
        chunk[position++] = (byte) (value >>> 8);
    }

    public void uint32(long value, String what) throws IOException {
        if (value < 0 || value > MAX_UINT32) {
            throw new IllegalArgumentException(what + " " + value + " does not fit UInt32");
        }
        ensure(4);
        INT_LE.set(chunk, position, (int) value);
        position += 4;
    }

    /** {@code UInt64} from a non-negative long (the gateway's counters and epoch milliseconds). */
    public void uint64(long value, String what) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException(what + " " + value + " does not fit UInt64");
        }
        ensure(8);
        LONG_LE.set(chunk, position, value);
        position += 8;
    }

    public void float64(double value) throws IOException {
        ensure(8);
        LONG_LE.set(chunk, position, Double.doubleToRawLongBits(value));
        position += 8;
    }

    /** {@code String} as UTF-8; null is the empty string (no column is Nullable). */
    public void string(String value) throws IOException {
        if (value == null) {
            varint(0);
            return;
        }
        // getBytes is intrinsified for the common all-ASCII string: a vectorised scan and one array copy
        bytes(value.getBytes(StandardCharsets.UTF_8), 0, -1);
    }

    /** {@code String} holding {@code length} raw bytes from {@code offset} ({@code -1}: to the end). */
    public void bytes(byte[] value, int offset, int length) throws IOException {
        int n = length < 0 ? value.length - offset : length;
        varint(n);
        raw(value, offset, n);
    }

    /** {@code Array(String)}. */
    public void strings(List<String> values) throws IOException {
        varint(values.size());
        for (String value : values) {
            string(value);
        }
    }

    /** {@code Array(String)} as {@link #strings} writes it, for a caller that writes the same list often. */
    public static byte[] encodeStrings(List<String> values) {
        return encode(encoder -> encoder.strings(values));
    }

    /** Values a caller writes often (the same on many rows), encoded once, to be copied with {@link #encoded}. */
    public static byte[] encode(Values values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowBinaryOutput encoder = new RowBinaryOutput(1024).beginRow(out);
        try {
            values.write(encoder);
            encoder.endRow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /** Writes some values through an encoder. */
    @FunctionalInterface
    public interface Values {
        void write(RowBinaryOutput encoder) throws IOException;
    }

    /** A value (or several) already in RowBinary, e.g. from {@link #encodeStrings}, copied as it is. */
    public void encoded(byte[] value) throws IOException {
        raw(value, 0, value.length);
    }

    /** The size that starts an {@code Array(...)}: the caller then writes that many elements. */
    public void arraySize(int size) throws IOException {
        varint(size);
    }

    /** {@code Array(Float64)}. */
    public void float64s(double[] values) throws IOException {
        varint(values.length);
        for (double value : values) {
            float64(value);
        }
    }

    /** Copies bytes into the chunk, or hands a value larger than the chunk straight to the target. */
    private void raw(byte[] value, int offset, int length) throws IOException {
        if (length > chunk.length) {
            flush();
            target.write(value, offset, length);
            return;
        }
        ensure(length);
        System.arraycopy(value, offset, chunk, position, length);
        position += length;
    }

    private void varint(long value) throws IOException {
        ensure(MAX_VARINT_BYTES);
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            chunk[position++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        chunk[position++] = (byte) rest;
    }

    private void ensure(int bytes) throws IOException {
        if (position + bytes > chunk.length) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (position > 0) {
            target.write(chunk, 0, position);
            position = 0;
        }
    }
}
