package dev.modelgate.bench;

import java.time.Duration;

/** Benchmark settings from {@code -D} system properties; a bad value fails at once and names its property. */
final class BenchProperties {

    private BenchProperties() {
    }

    static String string(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static int positiveInt(String key, int fallback) {
        int value = (int) number(key, fallback);
        if (value < 1 || value != number(key, fallback)) {
            throw new IllegalArgumentException(key + " must be a whole number >= 1, got " + System.getProperty(key));
        }
        return value;
    }

    static double positiveDouble(String key, double fallback) {
        double value = number(key, fallback);
        if (!(value > 0)) {
            throw new IllegalArgumentException(key + " must be > 0, got " + System.getProperty(key));
        }
        return value;
    }

    /** Whole seconds, {@code >= 0}. */
    static Duration seconds(String key, long fallback) {
        double value = number(key, fallback);
        if (value < 0 || value != Math.rint(value)) {
            throw new IllegalArgumentException(key + " must be a whole number of seconds >= 0, got "
                    + System.getProperty(key));
        }
        return Duration.ofSeconds((long) value);
    }

    private static double number(String key, double fallback) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
        }
    }
}
