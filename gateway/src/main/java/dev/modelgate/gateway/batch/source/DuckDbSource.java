package dev.modelgate.gateway.batch.source;

import dev.modelgate.gateway.batch.RowBlock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * CSV and Parquet files (a path or a glob) read through an in-process DuckDB. Parquet and CSV readers
 * are built into the driver, and extension auto-loading is switched off, so nothing is ever downloaded.
 * DuckDB keeps the file order ({@code preserve_insertion_order} is on by default), which is the fixed
 * order chunks are numbered in.
 */
public final class DuckDbSource implements RowSource {

    private final Connection connection;
    private final String relation;
    private final String describe;

    private DuckDbSource(Connection connection, String relation, String describe) {
        this.connection = connection;
        this.relation = relation;
        this.describe = describe;
    }

    public static DuckDbSource csv(Path file) throws SourceException {
        return open("read_csv(" + literal(file) + ", header = true)", file);
    }

    public static DuckDbSource parquet(Path file) throws SourceException {
        return open("read_parquet(" + literal(file) + ")", file);
    }

    private static DuckDbSource open(String relation, Path file) throws SourceException {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        // without it the driver materialises the whole result before the first row: a pass over the file that
        // nothing overlaps (a quarter of the read's cost up front) and the whole input held in memory
        properties.setProperty("jdbc_stream_results", "true");
        try {
            return new DuckDbSource(DriverManager.getConnection("jdbc:duckdb:", properties), relation, file.toString());
        } catch (SQLException e) {
            throw new SourceException("cannot start DuckDB to read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String literal(Path file) {
        return "'" + file.toString().replace("'", "''") + "'";
    }

    private static String identifier(String column) {
        return '"' + column.replace("\"", "\"\"") + '"';
    }

    @Override
    public Map<String, String> schema() throws SourceException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rows.next()) {
                columns.put(rows.getString("column_name"), rows.getString("column_type"));
            }
        } catch (SQLException e) {
            throw new SourceException("cannot read " + describe + ": " + e.getMessage(), e);
        }
        return columns;
    }

    @Override
    public long count() throws SourceException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + relation)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new SourceException("cannot count the rows of " + describe + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Reader read(String keyColumn, Optional<String> unitColumn, List<String> columns) throws SourceException {
        // an integer key is read as a number: turning it into text in Java costs a tenth of what DuckDB's cast does
        boolean integerKey = schema().getOrDefault(keyColumn, "").matches("(?i)u?(tinyint|smallint|integer|bigint)");
        StringBuilder select = new StringBuilder("SELECT ").append(integerKey ? identifier(keyColumn)
                : "CAST(" + identifier(keyColumn) + " AS VARCHAR)");
        select.append(unitColumn.map(unit -> ", CAST(" + identifier(unit) + " AS VARCHAR)").orElse(""));
        for (String column : columns) {
            select.append(", CAST(").append(identifier(column)).append(" AS DOUBLE)");
        }
        select.append(" FROM ").append(relation);
        try {
            Statement statement = connection.createStatement();
            statement.setFetchSize(8192);
            return new ResultSetReader(statement, statement.executeQuery(select.toString()), columns.size(), integerKey,
                    unitColumn.isPresent());
        } catch (SQLException e) {
            throw new SourceException("cannot read " + describe + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // an in-memory database: nothing to lose
        }
    }

    private static final class ResultSetReader implements Reader {

        private final Statement statement;
        private final ResultSet results;
        private final int columns;
        private final boolean integerKey;
        private final boolean unit;
        /** JDBC position of the first numeric column: after the key and, if there is one, the unit id. */
        private final int firstValue;
        private long position;

        ResultSetReader(Statement statement, ResultSet rows, int columns, boolean integerKey, boolean unit) {
            this.statement = statement;
            this.results = rows;
            this.columns = columns;
            this.integerKey = integerKey;
            this.unit = unit;
            this.firstValue = unit ? 3 : 2;
        }

        @Override
        public RowBlock next(int maxRows) throws SourceException {
            Blocks rows = new Blocks(maxRows, columns);
            int n = 0;
            try {
                while (n < maxRows && results.next()) {
                    if (integerKey) {
                        long key = results.getLong(1);
                        rows.keys[n] = results.wasNull() ? null : Long.toString(key);
                    } else {
                        rows.keys[n] = results.getString(1);
                    }
                    if (unit) {
                        rows.units[n] = results.getString(2);
                    }
                    for (int c = 0; c < columns; c++) {
                        rows.values[c][n] = results.getDouble(c + firstValue);
                        if (results.wasNull()) {
                            rows.missing(c, n);
                        }
                    }
                    n++;
                }
            } catch (SQLException e) {
                throw new SourceException("reading row " + (position + n + 1) + ": " + e.getMessage(), e);
            }
            RowBlock block = rows.block(position, n);
            position += n;
            return block;
        }

        @Override
        public void close() {
            try {
                statement.close();
            } catch (SQLException e) {
                // closing a finished in-memory query
            }
        }
    }
}
