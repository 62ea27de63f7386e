package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.JsonRows.number;
import static dev.modelgate.gateway.telemetry.JsonRows.numbers;
import static dev.modelgate.gateway.telemetry.JsonRows.string;
import static dev.modelgate.gateway.telemetry.JsonRows.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.batch.RowEncoder;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;
import java.time.LocalDate;

/**
 * Writes a {@link PredictionEvent} as one JSONEachRow object of {@link PredictionsTable}. Formats
 * checked against ClickHouse 18.16:
 * <ul>
 *   <li>{@code event_time} as epoch seconds: independent of the server's time zone, unlike
 *       'YYYY-MM-DD hh:mm:ss' which the server reads in its own zone;</li>
 *   <li>{@code event_date} sent explicitly as the UTC day (see {@link PredictionsTable});</li>
 *   <li>non-finite doubles as the strings "nan", "inf", "-inf": JSON has no literal for them, and
 *       ClickHouse parses its own spellings inside quotes;</li>
 *   <li>null strings as "" (the columns are not Nullable).</li>
 * </ul>
 * Not thread-safe (caches the current day); the writer thread is its only user.
 */
public final class PredictionEventEncoder implements RowEncoder<PredictionEvent> {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private long cachedEpochDay = Long.MIN_VALUE;
    private String cachedDate;

    @Override
    public String table() {
        return PredictionsTable.NAME;
    }

    @Override
    public void encode(PredictionEvent e, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("event_date", utcDate(e.timestampMillis()));
        json.writeNumberField("event_time", Math.floorDiv(e.timestampMillis(), 1000L));
        json.writeNumberField("event_time_ms", e.timestampMillis());
        string(json, "event_id", e.eventId());
        string(json, "request_id", e.requestId());
        string(json, "model", e.model());
        string(json, "model_version", e.modelVersion());
        string(json, "experiment", e.experiment());
        string(json, "assigned_variant", e.assignedVariant());
        string(json, "served_variant", e.servedVariant());
        string(json, "role", e.role());
        string(json, "assignment_reason", e.assignmentReason());
        string(json, "unit_id", e.unitId());
        json.writeNumberField("status", e.status());
        string(json, "error", e.error());
        number(json, "latency_ms", e.latencyMs());
        number(json, "backend_latency_ms", e.backendLatencyMs());
        json.writeNumberField("batch_rows", e.batchRows());
        strings(json, "feature_names", e.featureNames());
        numbers(json, "feature_values", e.featureValues());
        strings(json, "output_names", e.outputNames());
        numbers(json, "output_values", e.outputValues());
        number(json, "score", e.score());
        json.writeFieldName("request_json");
        json.writeUTF8String(e.requestJson(), 0, e.requestJson().length);
        string(json, "instance_id", e.instanceId());
        json.writeEndObject();
    }

    /** Partition, then primary key (model, served_variant, event_time), then the unique id. */
    @Override
    public String landedPredicate(PredictionEvent e) {
        return "event_date = " + SqlLiterals.quote(utcDate(e.timestampMillis()))
                + " AND model = " + SqlLiterals.quote(nullToEmpty(e.model()))
                + " AND served_variant = " + SqlLiterals.quote(nullToEmpty(e.servedVariant()))
                + " AND event_time = toDateTime(" + Math.floorDiv(e.timestampMillis(), 1000L) + ")"
                + " AND event_id = " + SqlLiterals.quote(e.eventId());
    }

    private String utcDate(long epochMillis) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        if (day != cachedEpochDay) {
            cachedDate = LocalDate.ofEpochDay(day).toString();
            cachedEpochDay = day;
        }
        return cachedDate;
    }






    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
