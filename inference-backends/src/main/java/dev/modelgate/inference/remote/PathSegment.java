package dev.modelgate.inference.remote;

/** Checks that a configured name can go into a URL path as is, so a typo fails at start-up, not as a 404. */
public final class PathSegment {

    private PathSegment() {
    }

    /** @throws IllegalArgumentException naming {@code field} when {@code value} is blank or has URL syntax in it */
    public static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '%' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException(field + " must be a plain URL path segment, got '" + value + "'");
            }
        }
        return value;
    }

    /** Like {@link #require} but an empty (or null) value is allowed and returned as "". */
    public static String optional(String field, String value) {
        return value == null || value.isEmpty() ? "" : require(field, value);
    }
}
