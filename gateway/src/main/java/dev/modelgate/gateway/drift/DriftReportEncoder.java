package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.JsonRowEncoder;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;
import java.time.ZoneOffset;

/**
 * Writes {@link DriftReportRow}s as JSONEachRow for the no-loss {@code BatchWriter}. Times go as epoch
 * seconds (independent of the server's zone) and NaN as the string "nan", as {@code JsonRows} does.
 */
final class DriftReportEncoder extends JsonRowEncoder<DriftReportRow> {

    @Override
    public String table() {
        return DriftTables.DRIFT_REPORTS.name();
    }

    @Override
    protected void write(DriftReportRow row, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("event_date", row.time().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        json.writeNumberField("time", row.time().getEpochSecond());
        json.writeNumberField("time_ms", row.time().toEpochMilli());
        json.writeStringField("run_id", row.runId());
        json.writeStringField("model", row.model());
        json.writeStringField("variant", row.variant());
        json.writeStringField("feature", row.feature());
        json.writeStringField("method", row.method());
        number(json, "statistic", row.statistic());
        number(json, "p_value", row.adjustedPValue());
        number(json, "threshold", row.threshold());
        json.writeNumberField("drifted", row.drifted() ? 1 : 0);
        json.writeNumberField("window_start", row.window().start().getEpochSecond());
        json.writeNumberField("window_end", row.window().end().getEpochSecond());
        json.writeNumberField("n_reference", row.nReference());
        json.writeNumberField("n_current", row.nCurrent());
        json.writeStringField("verdict", row.verdict());
        json.writeStringField("instance_id", row.instanceId());
        number(json, "raw_p_value", row.rawPValue());
        json.writeStringField("reason", row.reason());
        json.writeStringField("alert_state", row.alertState());
        json.writeStringField("transition", row.transition());
        json.writeArrayFieldStart("features_without_data");
        for (String feature : row.featuresWithoutData()) {
            json.writeString(feature);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(DriftReportRow row) {
        return "event_date = " + SqlLiterals.quote(row.time().atOffset(ZoneOffset.UTC).toLocalDate().toString())
                + " AND model = " + SqlLiterals.quote(row.model())
                + " AND variant = " + SqlLiterals.quote(row.variant())
                + " AND time = toDateTime(" + row.time().getEpochSecond() + ")"
                + " AND run_id = " + SqlLiterals.quote(row.runId())
                + " AND feature = " + SqlLiterals.quote(row.feature());
    }

    private static void number(JsonGenerator json, String field, double value) throws IOException {
        json.writeFieldName(field);
        if (Double.isNaN(value)) {
            json.writeString("nan");
        } else if (Double.isInfinite(value)) {
            json.writeString(value > 0 ? "inf" : "-inf");
        } else {
            json.writeNumber(value);
        }
    }
}
