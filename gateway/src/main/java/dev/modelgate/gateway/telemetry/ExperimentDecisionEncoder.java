package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.JsonRows.number;
import static dev.modelgate.gateway.telemetry.JsonRows.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;

/** Writes an {@link ExperimentDecision} as one JSONEachRow object of {@link ExperimentDecisionsTable}. */
public final class ExperimentDecisionEncoder extends JsonRowEncoder<ExperimentDecision> {

    @Override
    public String table() {
        return ExperimentDecisionsTable.NAME;
    }

    @Override
    protected void write(ExperimentDecision d, JsonGenerator json) throws IOException {
        json.writeStartObject();
        JsonRows.time(json, d.timestampMillis());
        string(json, "decision_id", d.decisionId());
        string(json, "experiment", d.experiment());
        string(json, "model", d.model());
        string(json, "kind", d.kind());
        string(json, "action", d.action());
        string(json, "actor", d.actor());
        string(json, "reason", d.reason());
        string(json, "evidence", d.evidenceJson());
        string(json, "old_spec", d.oldSpecJson());
        string(json, "new_spec", d.newSpecJson());
        number(json, "candidate_weight", d.candidateWeight());
        string(json, "instance_id", d.instanceId());
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(ExperimentDecision d) {
        return "event_date = " + SqlLiterals.quote(JsonRows.utcDate(d.timestampMillis()))
                + " AND experiment = " + SqlLiterals.quote(d.experiment())
                + " AND decision_id = " + SqlLiterals.quote(d.decisionId());
    }
}
