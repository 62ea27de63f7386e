package dev.modelgate.gateway.batch.source;

import dev.modelgate.gateway.batch.RowBlock;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of a ClickHouse query, streamed as TabSeparated (the client's binary readers fail on 18.16,
 * DESIGN.md §5) and ordered by the key column, so that two reads of the same data give the same order.
 */
public final class ClickHouseSource implements RowSource {

    private final ClickHouseConnection clickHouse;
    private final String query;

    /** @param clickHouse a connection of its own, closed with the source: its timeout must allow the whole read */
    public ClickHouseSource(ClickHouseConnection clickHouse, String query) {
        this.clickHouse = clickHouse;
        this.query = query.strip().replaceAll(";$", "");
    }

    private static String identifier(String column) {
        return "`" + column.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    @Override
    public Map<String, String> schema() throws SourceException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (TsvReader header = new TsvReader(stream("SELECT * FROM (" + query + ") LIMIT 0", "TabSeparatedWithNamesAndTypes"))) {
            List<String> names = header.nextTextRow();
            List<String> types = header.nextTextRow();
            if (names == null || types == null) {
                throw new SourceException("the query returned no column header: " + query);
            }
            for (int i = 0; i < names.size(); i++) {
                columns.put(names.get(i), types.get(i));
            }
        } catch (IOException e) {
            throw new SourceException("reading the query's columns: " + e.getMessage(), e);
        }
        return columns;
    }

    @Override
    public long count() throws SourceException {
        try {
            return clickHouse.query("SELECT count() AS n FROM (" + query + ")").get(0).path("n").asLong();
        } catch (ClickHouseCallException e) {
            throw new SourceException("counting the query's rows: " + e.getMessage(), e);
        }
    }

    @Override
    public Reader read(String keyColumn, Optional<String> unitColumn, List<String> columns) throws SourceException {
        StringBuilder select = new StringBuilder("SELECT toString(").append(identifier(keyColumn)).append(")");
        select.append(unitColumn.map(unit -> ", toString(" + identifier(unit) + ")").orElse(", ''"));
        for (String column : columns) {
            select.append(", toFloat64(").append(identifier(column)).append(")");
        }
        select.append(" FROM (").append(query).append(") ORDER BY ").append(identifier(keyColumn));
        TsvReader rows = new TsvReader(stream(select.toString(), "TabSeparated"));
        boolean withUnit = unitColumn.isPresent();
        return new Reader() {
            private long position;

            @Override
            public RowBlock next(int maxRows) throws SourceException {
                Blocks block = new Blocks(maxRows, columns.size());
                int n = 0;
                try {
                    while (n < maxRows && rows.nextRow()) {
                        block.keys[n] = rows.isNull() ? null : rows.text();
                        String unit = rows.isNull() ? null : rows.text();
                        block.units[n] = withUnit ? unit : null;
                        for (int c = 0; c < columns.size(); c++) {
                            if (rows.isNull()) {
                                block.missing(c, n);
                            } else {
                                block.values[c][n] = rows.number();
                            }
                        }
                        n++;
                    }
                } catch (IOException | NumberFormatException e) {
                    throw new SourceException("reading row " + (position + n + 1) + " of the query: " + e.getMessage(), e);
                }
                RowBlock read = block.block(position, n);
                position += n;
                return read;
            }

            @Override
            public void close() {
                rows.close();
            }
        };
    }

    private InputStream stream(String select, String format) throws SourceException {
        try {
            return clickHouse.stream(select, format);
        } catch (ClickHouseCallException e) {
            throw new SourceException("the query failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        clickHouse.close();
    }

    /** ClickHouse's TabSeparated: fields split by tabs, rows by newlines, {@code \N} for null, backslash escapes. */
    static final class TsvReader implements AutoCloseable {

        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private boolean atRowEnd = true;
        private final StringBuilder field = new StringBuilder();

        TsvReader(InputStream in) {
            this.in = in;
        }

        /** Moves to the next row; false at the end of the stream. */
        boolean nextRow() throws IOException {
            if (!atRowEnd) {
                while (read() != '\n') {
                    // skip what is left of a row read only in part
                }
            }
            atRowEnd = false;
            if (peek() < 0) {
                atRowEnd = true;
                return false;
            }
            return true;
        }

        /** The rest of the next row as text fields, or null at the end. */
        List<String> nextTextRow() throws IOException {
            if (!nextRow()) {
                return null;
            }
            List<String> fields = new java.util.ArrayList<>();
            while (!atRowEnd) {
                fields.add(text());
            }
            return fields;
        }

        /** The next field, unescaped. */
        String text() throws IOException {
            field.setLength(0);
            int b;
            java.io.ByteArrayOutputStream bytes = null;
            while ((b = read()) >= 0 && b != '\t' && b != '\n') {
                if (b == '\\') {
                    int e = read();
                    b = switch (e) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case '0' -> 0;
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> e;
                    };
                }
                if (b >= 0x80 || bytes != null) {
                    if (bytes == null) {
                        bytes = new java.io.ByteArrayOutputStream();
                        bytes.write(field.toString().getBytes(StandardCharsets.UTF_8));
                    }
                    bytes.write(b);
                } else {
                    field.append((char) b);
                }
            }
            if (b == '\n' || b < 0) {
                atRowEnd = true;
            }
            return bytes != null ? bytes.toString(StandardCharsets.UTF_8) : field.toString();
        }

        /** Whether the next field is {@code \N}; consumes it if so. */
        boolean isNull() throws IOException {
            if (peek() == '\\' && peekSecond() == 'N') {
                text();
                return true;
            }
            return false;
        }

        double number() throws IOException {
            String value = text();
            return switch (value) {
                case "nan", "-nan" -> Double.NaN;
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(value);
            };
        }

        private int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        private int peek() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position] & 0xFF;
        }

        private int peekSecond() throws IOException {
            if (limit - position < 2) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
                int n = in.read(buffer, limit, buffer.length - limit);
                if (n > 0) {
                    limit += n;
                }
                if (limit < 2) {
                    return -1;
                }
            }
            return buffer[position + 1] & 0xFF;
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // the response is released either way
            }
        }
    }
}
