package dev.modelgate.gateway.telemetry.clickhouse;

import com.clickhouse.data.ClickHouseFormat;
import java.util.List;
import java.util.Objects;

/**
 * How the bytes of an insert are laid out: the ClickHouse input format, and the columns each row fills,
 * in order. JSONEachRow names its fields in every row, so it needs no column list; RowBinary is
 * positional, so it names its columns in the INSERT and keeps working when a newer gateway has added
 * columns to the table.
 *
 * @param columns the columns in the order the rows hold them; empty for "named in the rows themselves"
 */
public record InsertFormat(ClickHouseFormat format, List<String> columns) {

    public static final InsertFormat JSON_EACH_ROW = new InsertFormat(ClickHouseFormat.JSONEachRow, List.of());

    public InsertFormat {
        Objects.requireNonNull(format, "format");
        columns = List.copyOf(columns);
        if (format == ClickHouseFormat.RowBinary && columns.isEmpty()) {
            throw new IllegalArgumentException("RowBinary rows are positional: name their columns");
        }
    }

    /** RowBinary rows holding every column of {@code table}, in its declared order. */
    public static InsertFormat rowBinary(TableDefinition table) {
        return new InsertFormat(ClickHouseFormat.RowBinary,
                table.columns().stream().map(ColumnDefinition::name).toList());
    }
}
