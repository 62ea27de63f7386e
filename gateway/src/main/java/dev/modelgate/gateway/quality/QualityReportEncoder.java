package dev.modelgate.gateway.quality;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.JsonRowEncoder;
import dev.modelgate.gateway.telemetry.JsonRows;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import dev.modelgate.statistics.quality.ReliabilityBin;
import java.io.IOException;
import java.time.ZoneOffset;

/** Writes {@link QualityReportRow}s as JSONEachRow for the no-loss batch writer; NaN as "nan", times as epoch seconds. */
final class QualityReportEncoder extends JsonRowEncoder<QualityReportRow> {

    @Override
    public String table() {
        return QualityTables.QUALITY_REPORTS.name();
    }

    @Override
    protected void write(QualityReportRow row, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("event_date", date(row));
        json.writeNumberField("time", row.time().getEpochSecond());
        json.writeNumberField("time_ms", row.time().toEpochMilli());
        json.writeStringField("run_id", row.runId());
        json.writeStringField("model", row.model());
        json.writeStringField("variant", row.variant());
        json.writeStringField("task", row.task());
        json.writeStringField("kind", row.kind());
        json.writeStringField("metric", row.metric());
        JsonRows.number(json, "value", row.estimate().value());
        JsonRows.number(json, "lower", row.estimate().lower());
        JsonRows.number(json, "upper", row.estimate().upper());
        JsonRows.number(json, "standard_error", row.estimate().standardError());
        json.writeNumberField("n", row.estimate().n());
        json.writeNumberField("window_start", row.window().start().getEpochSecond());
        json.writeNumberField("window_end", row.window().end().getEpochSecond());
        JsonRows.number(json, "baseline_value", row.baselineValue());
        JsonRows.number(json, "p_value", row.pValue());
        json.writeStringField("verdict", row.verdict());
        json.writeStringField("alert_state", row.alertState());
        json.writeStringField("transition", row.transition());
        json.writeStringField("reason", row.reason());
        json.writeStringField("instance_id", row.instanceId());
        JsonRows.numbers(json, "curve_lower", row.curve().stream().mapToDouble(ReliabilityBin::lower).toArray());
        JsonRows.numbers(json, "curve_upper", row.curve().stream().mapToDouble(ReliabilityBin::upper).toArray());
        json.writeArrayFieldStart("curve_count");
        for (ReliabilityBin bin : row.curve()) {
            json.writeNumber(bin.count());
        }
        json.writeEndArray();
        JsonRows.numbers(json, "curve_mean_score", row.curve().stream().mapToDouble(ReliabilityBin::meanScore).toArray());
        JsonRows.numbers(json, "curve_fraction_positive", row.curve().stream().mapToDouble(ReliabilityBin::fractionPositive).toArray());
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(QualityReportRow row) {
        return "event_date = " + SqlLiterals.quote(date(row))
                + " AND model = " + SqlLiterals.quote(row.model())
                + " AND variant = " + SqlLiterals.quote(row.variant())
                + " AND time = toDateTime(" + row.time().getEpochSecond() + ")"
                + " AND run_id = " + SqlLiterals.quote(row.runId())
                + " AND kind = " + SqlLiterals.quote(row.kind())
                + " AND metric = " + SqlLiterals.quote(row.metric());
    }

    private static String date(QualityReportRow row) {
        return row.time().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
