package dev.modelgate.gateway.telemetry.clickhouse;

import java.util.regex.Pattern;

/**
 * Builds SQL text for ClickHouse. Query parameters do not work against ClickHouse 18.16 through
 * client-v2 (DESIGN.md §5), so the few values that reach SQL are quoted here, in one place.
 */
public final class SqlLiterals {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlLiterals() {
    }

    /** A single-quoted ClickHouse string literal; backslash and quote are the only special characters. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('\'').toString();
    }

    /**
     * Returns {@code name} when it is a plain identifier. Database, table and column names are
     * interpolated into DDL unquoted, so anything else is refused rather than escaped.
     *
     * @param what names the offending setting or field in the error message
     */
    public static String identifier(String what, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match " + IDENTIFIER.pattern() + ", got: " + name);
        }
        return name;
    }
}
