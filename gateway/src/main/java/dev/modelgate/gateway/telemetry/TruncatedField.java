package dev.modelgate.gateway.telemetry;

/**
 * A column of {@code predictions} that can be cut to fit the row caps, as listed in the row's
 * {@code truncated_fields} and tagged in {@code modelgate_events_truncated_total}.
 */
public enum TruncatedField {
    /** some names were shortened to {@code max_name_bytes} */
    FEATURE_NAMES("feature_names"),
    /** values (with their names) were dropped: over {@code max_logged_values} or {@code max_row_bytes} */
    FEATURE_VALUES("feature_values"),
    OUTPUT_NAMES("output_names"),
    OUTPUT_VALUES("output_values"),
    UNIT_ID("unit_id"),
    MODEL_VERSION("model_version"),
    ERROR("error"),
    REQUEST_JSON("request_json");

    private final String column;

    TruncatedField(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    /** This field's bit in a set of fields held in an int, so the common uncut row allocates nothing. */
    public int bit() {
        return 1 << ordinal();
    }
}
