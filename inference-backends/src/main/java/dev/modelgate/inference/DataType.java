package dev.modelgate.inference;

import java.util.Locale;
import java.util.Optional;

/**
 * Tensor element types of the Open Inference Protocol (KServe v2), with the Java array that holds
 * each one. Narrow integer types are widened to the smallest Java primitive that holds every value.
 */
public enum DataType {
    BOOL(boolean[].class),
    UINT8(int[].class),
    UINT16(int[].class),
    UINT32(long[].class),
    UINT64(long[].class),
    INT8(int[].class),
    INT16(int[].class),
    INT32(int[].class),
    INT64(long[].class),
    FP16(float[].class),
    FP32(float[].class),
    FP64(double[].class),
    BYTES(String[].class);

    private final Class<?> storage;

    DataType(Class<?> storage) {
        this.storage = storage;
    }

    /** The Java array class that holds this type's elements in a {@link Tensor}. */
    public Class<?> storage() {
        return storage;
    }

    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /** Inclusive range of an integer type; floating point and BOOL/BYTES have none. */
    public long minValue() {
        return switch (this) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** Inclusive upper bound; UINT64 is capped at Long.MAX_VALUE because Java has no unsigned long array. */
    public long maxValue() {
        return switch (this) {
            case UINT8 -> 0xFF;
            case UINT16 -> 0xFFFF;
            case UINT32 -> 0xFFFF_FFFFL;
            case UINT64, INT64 -> Long.MAX_VALUE;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> 0;
        };
    }

    /** The protocol name, e.g. {@code "FP32"}. */
    public String protocolName() {
        return name();
    }

    public static Optional<DataType> fromProtocolName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
