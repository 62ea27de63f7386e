package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.JsonRows.number;
import static dev.modelgate.gateway.telemetry.JsonRows.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;

/** Writes a {@link FeedbackEvent} as one JSONEachRow object of {@link FeedbackTable}. */
public final class FeedbackEncoder extends JsonRowEncoder<FeedbackEvent> {

    @Override
    public String table() {
        return FeedbackTable.NAME;
    }

    @Override
    protected void write(FeedbackEvent f, JsonGenerator json) throws IOException {
        json.writeStartObject();
        JsonRows.time(json, f.eventTimeMillis());
        string(json, "request_id", f.requestId());
        string(json, "metric", f.metric());
        number(json, "value", f.value());
        json.writeNumberField("received_ms", f.receivedMillis());
        string(json, "instance_id", f.instanceId());
        string(json, "feedback_id", f.feedbackId());
        string(json, "api_key", f.apiKey());
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(FeedbackEvent f) {
        return "event_date = " + SqlLiterals.quote(JsonRows.utcDate(f.eventTimeMillis()))
                + " AND metric = " + SqlLiterals.quote(f.metric())
                + " AND request_id = " + SqlLiterals.quote(f.requestId())
                + " AND feedback_id = " + SqlLiterals.quote(f.feedbackId());
    }
}
