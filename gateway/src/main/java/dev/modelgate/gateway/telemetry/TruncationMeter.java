package dev.modelgate.gateway.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts cut fields in {@code modelgate.events.truncated{table, field}} (Prometheus:
 * {@code modelgate_events_truncated_total}) and names them for the row's {@code truncated_fields}.
 * The counters are registered up front, so counting never looks up the registry.
 */
public final class TruncationMeter {

    private final Map<TruncatedField, Counter> counters = new EnumMap<>(TruncatedField.class);

    public TruncationMeter(MeterRegistry registry, String table) {
        for (TruncatedField field : TruncatedField.values()) {
            counters.put(field, Counter.builder("modelgate.events.truncated")
                    .description("Logged rows with a field cut to fit the telemetry caps, by field")
                    .tag("table", table)
                    .tag("field", field.column())
                    .register(registry));
        }
    }

    /** Counts the fields in {@code bits} ({@link TruncatedField#bit()}) and returns their column names. */
    public List<String> record(int bits) {
        if (bits == 0) {
            return List.of();
        }
        List<String> columns = new ArrayList<>(Integer.bitCount(bits));
        for (TruncatedField field : TruncatedField.values()) {
            if ((bits & field.bit()) != 0) {
                counters.get(field).increment();
                columns.add(field.column());
            }
        }
        return columns;
    }
}
