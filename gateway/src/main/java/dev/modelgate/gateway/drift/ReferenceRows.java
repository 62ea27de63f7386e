package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the rows of an uploaded reference: JSON {@code {"rows": [{feature: value, ...}, ...]}} or CSV
 * with a header row. Values stay as read (numbers, text, null) so that the profiler reports a bad one
 * with its feature's name.
 */
final class ReferenceRows {

    /** Media types CSV is sent as: RFC 7111's, and those of Excel and older tools. */
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/csv", "text/comma-separated-values",
            "text/x-csv", "application/x-csv", "application/vnd.ms-excel");
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private ReferenceRows() {
    }

    /** True for a CSV media type, whatever its parameters ({@code charset=...}) and case; anything else is read as JSON. */
    static boolean isCsv(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return CSV_TYPES.contains(type);
    }

    /**
     * The body without the UTF-8 byte-order mark that Excel (and many Windows tools) put in front of every
     * export, which would otherwise become part of the first column's name; null reads as empty.
     */
    static String withoutByteOrderMark(String body) {
        if (body == null) {
            return "";
        }
        return !body.isEmpty() && body.charAt(0) == BYTE_ORDER_MARK ? body.substring(1) : body;
    }

    /** @throws IllegalArgumentException when the body is not of the documented shape */
    static void fromJson(JsonNode body, Consumer<Map<String, Object>> sink) {
        JsonNode rows = body == null ? null : body.get("rows");
        if (rows == null || !rows.isArray()) {
            throw new IllegalArgumentException("body must be {\"rows\": [{feature: value, ...}, ...]}");
        }
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            if (!row.isObject()) {
                throw new IllegalArgumentException("rows[" + i + "] must be an object");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            row.fields().forEachRemaining(e -> values.put(e.getKey(), scalar(e.getValue())));
            sink.accept(values);
        }
    }

    /** Empty cells are missing values. @throws IllegalArgumentException on a ragged or unterminated line */
    static void fromCsv(String text, Consumer<Map<String, Object>> sink) {
        String[] lines = text.split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new IllegalArgumentException("CSV body has no header row");
        }
        List<String> header = cells(lines[first], first + 1);
        for (int i = first + 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> cells = cells(lines[i], i + 1);
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException("CSV line " + (i + 1) + " has " + cells.size() + " cells, the header has "
                        + header.size());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < cells.size(); c++) {
                row.put(header.get(c), cells.get(c).isBlank() ? null : cells.get(c));
            }
            sink.accept(row);
        }
    }

    private static Object scalar(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** RFC 4180 cells of one line: commas separate, double quotes enclose, "" is a quote. */
    private static List<String> cells(String line, int lineNumber) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("CSV line " + lineNumber + " has an unterminated quote");
        }
        cells.add(cell.toString().trim());
        return cells;
    }
}
