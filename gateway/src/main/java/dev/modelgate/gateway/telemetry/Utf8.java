package dev.modelgate.gateway.telemetry;

import java.util.Arrays;

/**
 * Byte lengths and byte caps of text as ClickHouse stores it (UTF-8), without encoding it: caps are
 * checked on the request path for every logged string, and nearly every string fits.
 */
public final class Utf8 {

    /** What one UTF-16 char can take in UTF-8 (a surrogate pair takes 4 for its two chars). */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private Utf8() {}

    /** The UTF-8 length of {@code text}; a lone surrogate counts 3 bytes, at least what any encoder writes. */
    public static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            bytes += width(text, i);
            if (isPair(text, i)) {
                i++;
            }
        }
        return bytes;
    }

    /** At least {@link #length}, without reading the text. */
    public static int maxLength(String text) {
        return (int) Math.min((long) text.length() * MAX_BYTES_PER_CHAR, Integer.MAX_VALUE);
    }

    /** Whether {@code text} takes at most {@code maxBytes} in UTF-8; free for short strings. */
    public static boolean fits(String text, int maxBytes) {
        return maxLength(text) <= maxBytes || length(text) <= maxBytes;
    }

    /** {@code text} itself when it fits, else its longest prefix of whole characters that does. */
    public static String cut(String text, int maxBytes) {
        if (maxLength(text) <= maxBytes) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            int width = width(text, i);
            if (bytes + width > maxBytes) {
                return text.substring(0, i);
            }
            bytes += width;
            if (isPair(text, i)) {
                i++;
            }
        }
        return text;
    }

    /** {@code utf8} itself when it fits, else its longest prefix that ends before a continuation byte. */
    public static byte[] cut(byte[] utf8, int maxBytes) {
        if (utf8.length <= maxBytes) {
            return utf8;
        }
        int cut = maxBytes;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return Arrays.copyOf(utf8, cut);
    }

    /** The UTF-8 bytes of the character starting at {@code i}: a whole surrogate pair counts 4. */
    private static int width(String text, int i) {
        char c = text.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return isPair(text, i) ? 4 : 3;
    }

    private static boolean isPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
