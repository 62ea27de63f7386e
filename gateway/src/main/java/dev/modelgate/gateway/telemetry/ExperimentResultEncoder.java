package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.JsonRows.number;
import static dev.modelgate.gateway.telemetry.JsonRows.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;

/** Writes an {@link ExperimentResultRow} as one JSONEachRow object of {@link ExperimentResultsTable}. */
public final class ExperimentResultEncoder extends JsonRowEncoder<ExperimentResultRow> {

    @Override
    public String table() {
        return ExperimentResultsTable.NAME;
    }

    @Override
    protected void write(ExperimentResultRow r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        JsonRows.time(json, r.timestampMillis());
        string(json, "run_id", r.runId());
        string(json, "experiment", r.experiment());
        string(json, "metric", r.metric());
        string(json, "variant", r.variant());
        json.writeNumberField("is_control", r.control() ? 1 : 0);
        json.writeNumberField("n", r.n());
        number(json, "estimate", r.estimate());
        number(json, "ci_low", r.ciLow());
        number(json, "ci_high", r.ciHigh());
        number(json, "lift", r.lift());
        number(json, "p_value", r.pValue());
        number(json, "p_value_sequential", r.pValueSequential());
        number(json, "chance_to_beat", r.chanceToBeat());
        number(json, "srm_p_value", r.srmPValue());
        string(json, "decision", r.decision());
        string(json, "instance_id", r.instanceId());
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(ExperimentResultRow r) {
        return "event_date = " + SqlLiterals.quote(JsonRows.utcDate(r.timestampMillis()))
                + " AND experiment = " + SqlLiterals.quote(r.experiment())
                + " AND metric = " + SqlLiterals.quote(r.metric())
                + " AND variant = " + SqlLiterals.quote(r.variant())
                + " AND run_id = " + SqlLiterals.quote(r.runId());
    }
}
