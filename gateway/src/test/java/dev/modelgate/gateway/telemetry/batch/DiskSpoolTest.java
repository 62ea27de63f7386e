package dev.modelgate.gateway.telemetry.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.data.ClickHouseFormat;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

    @TempDir
    Path dir;

    @Test
    void returnsBatchesInArrivalOrderAlsoAfterARestart() throws IOException {
        DiskSpool first = new DiskSpool(dir, 1 << 20);
        for (int i = 0; i < 12; i++) { // more than 9, so that numeric and lexical order could differ
            assertThat(first.append("db.t", "b" + i, 1, "id = " + i, i % 2 == 0, InsertFormat.JSON_EACH_ROW, rows("{\"i\":" + i + "}\n"))).isTrue();
        }

        DiskSpool reopened = new DiskSpool(dir, 1 << 20);
        reopened.removeOldest(1); // b0
        assertThat(reopened.append("db.t", "b12", 1, "id = 12", true, InsertFormat.JSON_EACH_ROW, rows("{\"i\":12}\n"))).isTrue();

        StringBuilder order = new StringBuilder();
        DiskSpool again = new DiskSpool(dir, 1 << 20);
        while (!again.isEmpty()) {
            SpooledBatch batch = again.oldest(1, Long.MAX_VALUE).get(0);
            int i = Integer.parseInt(batch.batchId().substring(1));
            order.append(batch.batchId()).append(' ');
            assertThat(new String(batch.rows(), StandardCharsets.UTF_8)).isEqualTo("{\"i\":" + i + "}\n");
            assertThat(batch.table()).isEqualTo("db.t");
            assertThat(batch.landedPredicate()).isEqualTo("id = " + i);
            assertThat(batch.attempted()).isEqualTo(i % 2 == 0);
            again.removeOldest(1);
        }
        assertThat(order.toString().trim()).isEqualTo("b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12");
        assertThat(again.bytes()).isZero();
        assertThat(again.files()).isZero();
    }

    @Test
    void remembersEachBatchsFormatAndColumnsAcrossARestart() throws IOException {
        InsertFormat rowBinary = new InsertFormat(ClickHouseFormat.RowBinary, List.of("a", "b c"));
        new DiskSpool(dir, 1 << 20).append("db.t", "binary", 1, "p", false, rowBinary, rows("\u0001\n\u0000"));
        new DiskSpool(dir, 1 << 20).append("db.t", "json", 1, "p", false, InsertFormat.JSON_EACH_ROW, rows("{}\n"));

        List<SpooledBatch> both = new DiskSpool(dir, 1 << 20).oldest(10, Long.MAX_VALUE);
        SpooledBatch binary = both.get(0);
        SpooledBatch json = both.get(1);

        assertThat(binary.format()).isEqualTo(rowBinary);
        assertThat(binary.rows()).containsExactly(1, '\n', 0);
        assertThat(json.format()).isEqualTo(InsertFormat.JSON_EACH_ROW);
    }

    @Test
    void refusesABatchThatWouldExceedTheCapAndCountsBytesOnDisk() throws IOException {
        DiskSpool spool = new DiskSpool(dir, 400);
        RowBuffer hundredBytes = rows("x".repeat(99) + "\n");

        int accepted = 0;
        while (spool.append("db.t", "b", 100, "p", false, InsertFormat.JSON_EACH_ROW, hundredBytes)) {
            accepted++;
        }

        assertThat(accepted).isBetween(1, 3); // each file is 100 bytes of rows plus its header
        assertThat(spool.files()).isEqualTo(accepted);
        long onDisk = 0;
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                onDisk += Files.size(f);
            }
        }
        assertThat(spool.bytes()).isEqualTo(onDisk).isLessThanOrEqualTo(400);
    }

    @Test
    void readsTheOldestBatchesThatFitInOneInsertButAlwaysAtLeastOne() throws IOException {
        DiskSpool spool = new DiskSpool(dir, 1 << 20);
        for (int i = 0; i < 5; i++) {
            spool.append("db.t", "b" + i, 30, "p", false, InsertFormat.JSON_EACH_ROW, rows("{}\n"));
        }

        assertThat(spool.oldest(100, Long.MAX_VALUE)).extracting(SpooledBatch::batchId).containsExactly("b0", "b1", "b2");
        assertThat(spool.oldest(10, Long.MAX_VALUE)).extracting(SpooledBatch::batchId).containsExactly("b0");
        assertThat(spool.oldest(1_000, 7)).extracting(SpooledBatch::batchId).containsExactly("b0", "b1");
    }

    @Test
    void treatsABatchSpooledBeforeTheAttemptedFlagAsAttempted() throws IOException {
        Files.writeString(dir.resolve("0000000000000000001.batch"),
                "{\"table\":\"db.t\",\"batch_id\":\"old\",\"rows\":1,\"landed_predicate\":\"p\"}\n{}\n");

        assertThat(new DiskSpool(dir, 1 << 20).oldest(10, Long.MAX_VALUE).get(0).attempted())
                .as("looked up before it is replayed").isTrue();
    }

    @Test
    void ignoresHalfWrittenFilesLeftByACrash() throws IOException {
        Files.writeString(dir.resolve("0000000000000000007.batch.tmp"), "{\"table\":\"db.t\"");

        DiskSpool spool = new DiskSpool(dir, 1 << 20);

        assertThat(spool.isEmpty()).isTrue();
        assertThat(spool.oldest(10, Long.MAX_VALUE)).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static RowBuffer rows(String text) throws IOException {
        RowBuffer buffer = new RowBuffer(16);
        buffer.write(text.getBytes(StandardCharsets.UTF_8));
        return buffer;
    }
}
