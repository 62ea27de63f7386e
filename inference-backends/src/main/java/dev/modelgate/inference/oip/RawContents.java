package dev.modelgate.inference.oip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.FixedWidthElements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tensor's elements as the protocol's raw contents: flattened row-major, little-endian, no padding;
 * BYTES elements each preceded by their length as a 4-byte little-endian integer. Bulk buffer copies
 * for the float and integer types that dominate real traffic, so a 600 KB image tensor costs one copy
 * each way rather than an element-by-element loop.
 */
final class RawContents {

    private RawContents() {}

    /** Bytes per element; 0 for BYTES, whose elements carry their own length. */
    static int elementBytes(DataType type) {
        return switch (type) {
            case BOOL, UINT8, INT8 -> 1;
            case UINT16, INT16, FP16 -> 2;
            case UINT32, INT32, FP32 -> 4;
            case UINT64, INT64, FP64 -> 8;
            case BYTES -> 0;
        };
    }

    /** The {@code count} elements of {@code raw}; throws (naming {@code what}) when its length does not hold exactly that many. */
    static Object read(ByteString raw, DataType type, int count, String what) {
        ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.BYTES) {
            return strings(in, count, what);
        }
        long expected = (long) count * elementBytes(type);
        if (raw.size() != expected) {
            throw new IllegalArgumentException(what + ": raw contents hold " + raw.size() + " bytes, " + count + " " + type
                    + " elements need " + expected);
        }
        return switch (type) {
            case FP32, FP64, INT32, INT64 -> FixedWidthElements.copy(type, in, count);
            case UINT64 -> {
                long[] out = new long[count];
                in.asLongBuffer().get(out);
                for (int i = 0; i < count; i++) {
                    if (out[i] < 0) {
                        throw new IllegalArgumentException(what + ": element " + i + " (" + Long.toUnsignedString(out[i])
                                + ") is beyond the largest UINT64 this gateway holds (" + Long.MAX_VALUE + ")");
                    }
                }
                yield out;
            }
            case UINT32 -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = Integer.toUnsignedLong(in.getInt());
                }
                yield out;
            }
            case INT8, UINT8, INT16, UINT16 -> {
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = switch (type) {
                        case INT8 -> in.get();
                        case UINT8 -> Byte.toUnsignedInt(in.get());
                        case INT16 -> in.getShort();
                        default -> Short.toUnsignedInt(in.getShort());
                    };
                }
                yield out;
            }
            case FP16 -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = Half.toFloat(in.getShort());
                }
                yield out;
            }
            case BOOL -> {
                boolean[] out = new boolean[count];
                for (int i = 0; i < count; i++) {
                    out[i] = in.get() != 0;
                }
                yield out;
            }
            case BYTES -> throw new IllegalStateException("handled above");
        };
    }

    private static String[] strings(ByteBuffer in, int count, String what) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < Integer.BYTES) {
                throw new IllegalArgumentException(what + ": raw BYTES contents end before element " + i + " of " + count);
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException(what + ": raw BYTES element " + i + " claims " + Integer.toUnsignedString(length)
                        + " bytes, " + in.remaining() + " remain");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            out[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(what + ": raw BYTES contents hold " + in.remaining() + " bytes after its "
                    + count + " elements");
        }
        return out;
    }

    /** The raw contents of a tensor's {@code data} (a {@link DataType#storage()} array of {@code type}). */
    static ByteString write(Object data, DataType type) {
        if (data instanceof String[] strings) {
            byte[][] encoded = new byte[strings.length][];
            int total = 0;
            for (int i = 0; i < strings.length; i++) {
                encoded[i] = strings[i].getBytes(StandardCharsets.UTF_8);
                total += Integer.BYTES + encoded[i].length;
            }
            ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] element : encoded) {
                out.putInt(element.length).put(element);
            }
            return UnsafeByteOperations.unsafeWrap(out.array());
        }
        int count = java.lang.reflect.Array.getLength(data);
        ByteBuffer out = ByteBuffer.allocate(count * elementBytes(type)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FP32 -> out.asFloatBuffer().put((float[]) data);
            case FP64 -> out.asDoubleBuffer().put((double[]) data);
            case INT32 -> out.asIntBuffer().put((int[]) data);
            case INT64, UINT64 -> out.asLongBuffer().put((long[]) data);
            case UINT32 -> {
                for (long v : (long[]) data) {
                    out.putInt((int) v);
                }
            }
            case INT8, UINT8 -> {
                for (int v : (int[]) data) {
                    out.put((byte) v);
                }
            }
            case INT16, UINT16 -> {
                for (int v : (int[]) data) {
                    out.putShort((short) v);
                }
            }
            case FP16 -> {
                for (float v : (float[]) data) {
                    out.putShort(Half.fromFloat(v));
                }
            }
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    out.put((byte) (v ? 1 : 0));
                }
            }
            case BYTES -> throw new IllegalStateException("handled above");
        }
        // the array is ours alone from here on: wrapping it spares a copy of what may be megabytes
        return UnsafeByteOperations.unsafeWrap(out.array());
    }

    /**
     * IEEE 754 half precision, which the protocol carries only as raw contents. Java 17 has no
     * conversion of its own ({@code Float.float16ToFloat} arrived in 20).
     */
    static final class Half {

        private Half() {}

        static float toFloat(short half) {
            int bits = half & 0xFFFF;
            int sign = (bits & 0x8000) << 16;
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            if (exponent == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13); // infinity or NaN
            }
            if (exponent == 0) {
                float subnormal = mantissa * 0x1p-24f; // 2^-14 * mantissa / 1024
                return sign == 0 ? subnormal : -subnormal;
            }
            return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
        }

        /** Rounds to the nearest half (ties to even); out-of-range values become infinities. */
        static short fromFloat(float value) {
            int bits = Float.floatToRawIntBits(value);
            int sign = (bits >>> 16) & 0x8000;
            int exponent = (bits >>> 23) & 0xFF;
            int mantissa = bits & 0x7F_FFFF;
            if (exponent == 0xFF) {
                return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
            }
            int halfExponent = exponent - 112;
            if (halfExponent >= 0x1F) {
                return (short) (sign | 0x7C00);
            }
            if (halfExponent <= 0) {
                if (halfExponent < -10) {
                    return (short) sign;
                }
                int full = mantissa | 0x80_0000;
                int shift = 14 - halfExponent;
                int rounded = (full >>> shift) + roundBit(full, shift);
                return (short) (sign | rounded);
            }
            int rounded = (halfExponent << 10 | mantissa >>> 13) + roundBit(mantissa, 13);
            return (short) (sign | rounded);
        }

        private static int roundBit(int value, int shift) {
            int half = 1 << (shift - 1);
            int rest = value & ((1 << shift) - 1);
            return rest > half || rest == half && ((value >>> shift) & 1) == 1 ? 1 : 0;
        }
    }
}
