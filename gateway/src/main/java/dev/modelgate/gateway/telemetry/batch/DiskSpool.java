package dev.modelgate.gateway.telemetry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Batches that could not be written yet, one file each, oldest first. A file is a one-line JSON header
 * (table, batch id, row count, landed predicate, whether it was attempted, format and columns) followed
 * by the rows' bytes. A header without format (written before RowBinary was used) means JSONEachRow. Names are a
 * zero-padded sequence number, so lexical order is arrival order, also across restarts. Files appear
 * atomically (written to {@code .tmp}, forced to disk, renamed), so a crash never leaves half a batch.
 *
 * <p>Used by the writer thread only; {@link #bytes()} and {@link #files()} may be read from any thread.
 */
final class DiskSpool {

    private static final String SUFFIX = ".batch";
    private static final String TMP_SUFFIX = ".tmp";
    static final String REJECTED_DIR = "rejected";

    private final Path dir;
    private final long maxBytes;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Path> pending = new ArrayDeque<>();
    private final AtomicLong bytes = new AtomicLong();
    private long nextSequence;

    DiskSpool(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        List<Path> existing;
        try (Stream<Path> files = Files.list(dir)) {
            existing = files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        for (Path file : existing) {
            String name = file.getFileName().toString();
            if (name.endsWith(TMP_SUFFIX)) {
                Files.delete(file); // a crash between write and rename: that batch was never acknowledged as spooled
            } else if (name.endsWith(SUFFIX)) {
                pending.add(file);
                bytes.addAndGet(Files.size(file));
                nextSequence = Math.max(nextSequence, sequenceOf(name) + 1);
            }
        }
    }

    /**
     * This spool's writer id, created on first use and kept in the spool folder: it names the writer's
     * staging tables, so that after a restart the writer fences the attempts of its previous run too.
     */
    String writerId() throws IOException {
        Path file = dir.resolve("writer-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Files.writeString(file, id, StandardCharsets.US_ASCII);
        return id;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    int files() {
        return pending.size();
    }

    /**
     * Appends a batch; false (and nothing written) when it would take the spool over its cap.
     *
     * @param attempted whether an insert of this batch was sent and its outcome is unknown: only such a
     *                  batch needs to be looked up in ClickHouse before it is replayed
     */
    boolean append(String table, String batchId, int rowCount, String landedPredicate, boolean attempted,
                   InsertFormat format, RowBuffer rows) throws IOException {
        byte[] header = header(table, batchId, rowCount, landedPredicate, attempted, format);
        long size = header.length + (long) rows.size();
        if (bytes.get() + size > maxBytes) {
            return false;
        }
        Path target = dir.resolve(String.format("%019d%s", nextSequence, SUFFIX));
        writeAtomically(target, header, rows);
        nextSequence++;
        pending.addLast(target);
        bytes.addAndGet(size);
        return true;
    }

    /**
     * The oldest batches, in order, as many as fit in {@code maxRows} and {@code maxBytes} (at least one;
     * none when the spool is empty). Throws only when the oldest file is unreadable; a later unreadable
     * file ends the list, to be the oldest next time.
     */
    List<SpooledBatch> oldest(int maxRows, long maxBytes) throws IOException {
        List<SpooledBatch> batches = new ArrayList<>();
        long rows = 0;
        long size = 0;
        for (Path file : pending) {
            SpooledBatch batch;
            try {
                batch = read(file);
            } catch (IOException e) {
                if (batches.isEmpty()) {
                    throw e;
                }
                break;
            }
            if (!batches.isEmpty() && (rows + batch.rowCount() > maxRows || size + batch.rows().length > maxBytes)) {
                break;
            }
            batches.add(batch);
            rows += batch.rowCount();
            size += batch.rows().length;
        }
        return batches;
    }

    private SpooledBatch read(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        int newline = indexOf(content, (byte) '\n');
        if (newline < 0) {
            throw new IOException("spool file " + file + " has no header line");
        }
        JsonNode header = json.readTree(Arrays.copyOfRange(content, 0, newline));
        // files written before the flag existed are treated as attempted: looked up first
        return new SpooledBatch(file, header.path("table").asText(), header.path("batch_id").asText(),
                header.path("rows").asInt(), header.path("landed_predicate").asText(),
                header.path("attempted").asBoolean(true), format(file, header),
                Arrays.copyOfRange(content, newline + 1, content.length));
    }

    private static InsertFormat format(Path file, JsonNode header) throws IOException {
        if (!header.has("format")) {
            return InsertFormat.JSON_EACH_ROW;
        }
        List<String> columns = new ArrayList<>();
        header.path("columns").forEach(column -> columns.add(column.asText()));
        try {
            return new InsertFormat(ClickHouseFormat.valueOf(header.path("format").asText()), columns);
        } catch (IllegalArgumentException e) {
            throw new IOException("spool file " + file + " has an unusable format: " + e.getMessage(), e);
        }
    }

    /** The id of the batch appended last, or null when the spool is empty. */
    String newestBatchId() throws IOException {
        Path file = pending.peekLast();
        return file == null ? null : header(file).path("batch_id").asText();
    }

    /** The header line of a spool file, without reading the rows after it. */
    private JsonNode header(Path file) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("spool file " + file + " has no header line");
                }
                line.write(b);
            }
        }
        return json.readTree(line.toByteArray());
    }

    /** Removes the {@code count} oldest batches once they are in ClickHouse. */
    void removeOldest(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Path file = pending.removeFirst();
            long size = Files.size(file);
            Files.delete(file);
            bytes.addAndGet(-size);
        }
    }

    /** Moves the oldest file to {@code rejected/} for an operator: ClickHouse will never take it. */
    Path rejectOldest() throws IOException {
        Path file = pending.removeFirst();
        long size = Files.size(file);
        Path rejected = Files.createDirectories(dir.resolve(REJECTED_DIR)).resolve(file.getFileName());
        Files.move(file, rejected, StandardCopyOption.ATOMIC_MOVE);
        bytes.addAndGet(-size);
        return rejected;
    }

    /** Keeps a batch ClickHouse refused outright in {@code rejected/}, outside the spool and its cap. */
    Path reject(String table, String batchId, int rowCount, String landedPredicate, InsertFormat format,
                RowBuffer rows) throws IOException {
        Path rejectedDir = Files.createDirectories(dir.resolve(REJECTED_DIR));
        Path target = rejectedDir.resolve(batchId + SUFFIX);
        writeAtomically(target, header(table, batchId, rowCount, landedPredicate, true, format), rows);
        return target;
    }

    private byte[] header(String table, String batchId, int rowCount, String landedPredicate, boolean attempted,
                          InsertFormat format) throws IOException {
        ObjectNode header = json.createObjectNode()
                .put("table", table)
                .put("batch_id", batchId)
                .put("rows", rowCount)
                .put("landed_predicate", landedPredicate)
                .put("attempted", attempted)
                .put("format", format.format().name());
        ArrayNode columns = header.putArray("columns");
        format.columns().forEach(columns::add);
        byte[] line = json.writeValueAsBytes(header);
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        return withNewline;
    }

    private static void writeAtomically(Path target, byte[] header, RowBuffer rows) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(header);
            rows.copyTo(out);
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long sequenceOf(String fileName) {
        String digits = fileName.substring(0, fileName.length() - SUFFIX.length());
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // not one of ours; still replayed in name order
        }
    }

    private static int indexOf(byte[] content, byte value) {
        for (int i = 0; i < content.length; i++) {
            if (content[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "DiskSpool[" + dir + ", " + pending.size() + " files, " + bytes.get() + " bytes]";
    }
}
