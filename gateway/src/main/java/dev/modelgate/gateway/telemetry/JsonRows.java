package dev.modelgate.gateway.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

/**
 * Field writers shared by the JSONEachRow encoders, in the forms ClickHouse 18.16 and current
 * versions both read: times as epoch seconds plus the UTC day, non-finite doubles as "nan"/"inf"/"-inf"
 * (JSON has no literal for them), null strings as "" (no column is Nullable).
 */
public final class JsonRows {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private JsonRows() {}

    /** {@code event_date}, {@code event_time} (seconds) and {@code event_time_ms}. */
    public static void time(JsonGenerator json, long epochMillis) throws IOException {
        json.writeStringField("event_date", utcDate(epochMillis));
        json.writeNumberField("event_time", Math.floorDiv(epochMillis, 1000L));
        json.writeNumberField("event_time_ms", epochMillis);
    }

    public static String utcDate(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, MILLIS_PER_DAY)).toString();
    }

    public static void string(JsonGenerator json, String field, String value) throws IOException {
        json.writeStringField(field, value == null ? "" : value);
    }

    public static void number(JsonGenerator json, String field, double value) throws IOException {
        json.writeFieldName(field);
        value(json, value);
    }

    public static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value == null ? "" : value);
        }
        json.writeEndArray();
    }

    public static void numbers(JsonGenerator json, String field, double[] values) throws IOException {
        json.writeArrayFieldStart(field);
        for (double v : values) {
            value(json, v);
        }
        json.writeEndArray();
    }

    private static void value(JsonGenerator json, double value) throws IOException {
        if (Double.isNaN(value)) {
            json.writeString("nan");
        } else if (Double.isInfinite(value)) {
            json.writeString(value > 0 ? "inf" : "-inf");
        } else {
            json.writeNumber(value);
        }
    }
}
