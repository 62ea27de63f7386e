package dev.modelgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The input of {@code scripts/bench-batch.sh}: a Parquet file of {@code bench.rows} rows, an integer
 * {@code id} and twelve standard-normal features {@code f0..f11} (the XGBoost benchmark model's
 * training distribution; the demo ONNX model takes any twelve numbers), written by DuckDB.
 * System properties: {@code bench.file} (required), {@code bench.rows} (1,000,000).
 */
public final class BatchBenchData {

    private BatchBenchData() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(BenchProperties.string("bench.file", null));
        int rows = BenchProperties.positiveInt("bench.rows", 1_000_000);
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder features = new StringBuilder();
        for (int f = 0; f < 12; f++) {
            // Box-Muller from two uniforms
            features.append(", sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS f").append(f);
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT i AS id" + features + " FROM range(" + rows + ") t(i)) TO '" + file + "' (FORMAT parquet)");
        }
        System.out.printf("wrote %,d rows to %s%n", rows, file);
    }
}
