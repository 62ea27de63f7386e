package dev.modelgate.gateway.telemetry;

import static dev.modelgate.gateway.telemetry.JsonRows.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.IOException;

/** Writes an {@link AdminAuditEvent} as one JSONEachRow object of {@link AdminAuditTable}. */
public final class AdminAuditEncoder extends JsonRowEncoder<AdminAuditEvent> {

    @Override
    public String table() {
        return AdminAuditTable.NAME;
    }

    @Override
    protected void write(AdminAuditEvent e, JsonGenerator json) throws IOException {
        json.writeStartObject();
        JsonRows.time(json, e.timeMillis());
        string(json, "key_name", e.keyName());
        string(json, "role", e.role());
        string(json, "method", e.method());
        string(json, "path", e.path());
        json.writeNumberField("status", e.status());
        string(json, "instance_id", e.instanceId());
        string(json, "audit_id", e.auditId());
        json.writeEndObject();
    }

    @Override
    public String landedPredicate(AdminAuditEvent e) {
        return "event_date = " + SqlLiterals.quote(JsonRows.utcDate(e.timeMillis()))
                + " AND event_time_ms = " + e.timeMillis()
                + " AND audit_id = " + SqlLiterals.quote(e.auditId());
    }
}
