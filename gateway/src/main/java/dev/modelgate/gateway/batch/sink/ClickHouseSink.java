package dev.modelgate.gateway.batch.sink;

import dev.modelgate.gateway.batch.RowBlock;
import dev.modelgate.gateway.batch.ScoredChunk;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import dev.modelgate.gateway.telemetry.clickhouse.RowBinaryOutput;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import dev.modelgate.gateway.telemetry.clickhouse.StagedInsert;
import dev.modelgate.gateway.telemetry.clickhouse.TableDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Results into a ClickHouse table (created if missing), exactly once per chunk, with the telemetry
 * writer's {@link StagedInsert}: each chunk goes to a staging table, is copied into the target in one
 * block, and the staging table is dropped. ClickHouse 18.16 has no insert deduplication on MergeTree,
 * so "did chunk 17 land?" can only be answered after every earlier attempt has been made unable to
 * land: {@link #writtenChunks()} fences (drops every staging table of this job, including those of a
 * run killed with {@code kill -9}) before it reads which chunks the table holds. An insert that fails is
 * fenced, looked up and sent again, with backoff, so a chunk is never doubled.
 */
public final class ClickHouseSink implements ResultSink {

    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    private final ClickHouseConnection clickHouse;
    private final TableDefinition table;
    private final InsertFormat format;
    private final StagedInsert insert;
    private final String jobId;
    private final String model;
    private final RowBinaryOutput out = new RowBinaryOutput(1 << 16);
    private final ChunkBytes chunkBytes = new ChunkBytes(1 << 20);
    private final Map<List<String>, byte[]> encodedNames = new HashMap<>();
    private final boolean features;
    /** event_date, event_time and job_id: the same on every row of the run. */
    private final byte[] jobFields;
    private static final byte[] STATUS_OK = RowBinaryOutput.encode(encoder -> {
        encoder.string("ok");
        encoder.string("");
    });
    private static final byte[] STATUS_ERROR = RowBinaryOutput.encode(encoder -> encoder.string("error"));
    private static final byte[] EMPTY_ARRAY = RowBinaryOutput.encodeStrings(List.of());

    /**
     * Creates the table if it is missing.
     *
     * @param features whether rows carry their inputs ({@code feature_names}, {@code feature_values}); they
     *                 triple a row's size, and with it ClickHouse's cost per row
     */
    public ClickHouseSink(ClickHouseConnection clickHouse, String tableName, String jobId, String model, long startedAtMillis,
                          boolean features) throws SinkException {
        this.clickHouse = clickHouse;
        this.table = BatchPredictionsTable.definition(tableName);
        this.format = InsertFormat.rowBinary(table);
        this.insert = new StagedInsert(clickHouse, tableName, writerId(jobId));
        this.jobId = jobId;
        this.model = model;
        this.features = features;
        this.jobFields = RowBinaryOutput.encode(encoder -> {
            encoder.date(Math.floorDiv(startedAtMillis, 86_400_000L));
            encoder.dateTime(startedAtMillis / 1000);
            encoder.string(jobId);
        });
        try {
            new ClickHouseSchema(List.of(table)).apply(clickHouse);
        } catch (ClickHouseCallException e) {
            throw new SinkException("cannot create " + name() + ": " + e.getMessage(), e);
        }
    }

    /** The same job id gives the same writer id on every run, so a resumed run fences the killed run's staging tables. */
    static String writerId(String jobId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            return "job" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    @Override
    public String name() {
        return "clickhouse:" + clickHouse.settings().qualify(table.name());
    }

    @Override
    public Set<Long> writtenChunks() throws SinkException {
        try {
            insert.fence();
            Set<Long> chunks = new HashSet<>();
            for (var row : clickHouse.query("SELECT DISTINCT chunk FROM " + clickHouse.settings().qualify(table.name())
                    + " WHERE job_id = " + SqlLiterals.quote(jobId))) {
                chunks.add(row.path("chunk").asLong());
            }
            return chunks;
        } catch (ClickHouseCallException e) {
            throw new SinkException("cannot read which chunks " + name() + " holds: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(ScoredChunk chunk) throws SinkException {
        ChunkBytes rows = encode(chunk);
        String landed = "job_id = " + SqlLiterals.quote(jobId) + " AND chunk = " + chunk.index();
        long backoff = FIRST_BACKOFF.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                if (attempt > 1) {
                    insert.fence();
                    if (insert.landed(landed)) {
                        return;
                    }
                }
                insert.insert(format, rows.stream(), landed);
                return;
            } catch (ClickHouseCallException e) {
                if (e.dataRejected() || attempt == ATTEMPTS) {
                    throw new SinkException("chunk " + chunk.index() + " could not be written to " + name() + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted while writing chunk " + chunk.index(), e);
            }
            backoff *= 2;
        }
    }

    /** The encoded rows of the chunk in hand: kept from chunk to chunk, so a chunk costs no new array and no copy. */
    private static final class ChunkBytes extends ByteArrayOutputStream {

        ChunkBytes(int size) {
            super(size);
        }

        /** The bytes written since the last reset, read in place (the sink writes one chunk at a time). */
        ByteArrayInputStream stream() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    private ChunkBytes encode(ScoredChunk chunk) throws SinkException {
        RowBlock rows = chunk.rows();
        int variants = chunk.variants().size();
        // what is the same on many rows is encoded once: the job's columns, each variant's names and strings
        byte[][] variantFields = new byte[variants][];
        byte[][] outputNames = new byte[variants][];
        byte[][] featureNames = new byte[variants][];
        int[][] featureColumns = new int[variants][];
        double[][] values = rows.values();
        ChunkBytes bytes = chunkBytes;
        bytes.reset();
        try {
            out.beginRow(bytes); // one "row" for the whole chunk: the buffer goes to the stream only when full
            for (int r = 0; r < rows.size(); r++) {
                int variant = chunk.variantOf()[r];
                if (variantFields[variant] == null) {
                    int row = r;
                    variantFields[variant] = RowBinaryOutput.encode(encoder -> {
                        encoder.string(model);
                        encoder.string(chunk.modelVersion(row));
                        encoder.string(chunk.experiment());
                        encoder.string(chunk.variantName(row));
                    });
                    featureNames[variant] = features ? names(chunk.featureNames(r)) : EMPTY_ARRAY;
                    featureColumns[variant] = chunk.featureColumns(r);
                }
                out.encoded(jobFields);
                out.uint64(chunk.index(), "chunk");
                out.uint64(rows.firstRow() + r, "row_number");
                out.string(rows.keys()[r]);
                out.string(rows.units()[r]);
                out.encoded(variantFields[variant]);
                String error = chunk.errors()[r];
                if (error == null) {
                    out.encoded(STATUS_OK);
                } else {
                    out.encoded(STATUS_ERROR);
                    out.string(error);
                }
                out.float64(chunk.scores()[r]);
                double[] outputs = chunk.outputs()[r];
                if (outputs == null) {
                    out.encoded(EMPTY_ARRAY);
                    out.arraySize(0);
                } else {
                    if (outputNames[variant] == null) {
                        outputNames[variant] = names(chunk.outputNames()[variant]);
                    }
                    out.encoded(outputNames[variant]);
                    out.float64s(outputs);
                }
                out.encoded(featureNames[variant]);
                if (features) {
                    int[] columns = featureColumns[variant];
                    out.arraySize(columns.length);
                    for (int column : columns) {
                        out.float64(values[column][r]);
                    }
                } else {
                    out.arraySize(0);
                }
            }
            out.endRow();
        } catch (IOException e) {
            throw new SinkException("encoding chunk " + chunk.index() + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    private byte[] names(List<String> names) {
        return encodedNames.computeIfAbsent(names, RowBinaryOutput::encodeStrings);
    }

    @Override
    public void close() {
        // the connection belongs to the job
    }
}
