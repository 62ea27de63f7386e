package dev.modelgate.gateway.telemetry.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file of the write-ahead log: the rows one thread offered, in the order it offered them, each
 * framed as {@code [int rowLength][int predicateLength][predicate UTF-8][row]}. A segment is written by
 * exactly one thread and released by the writer thread in the same order (the queue is FIFO), so "how
 * many records are in ClickHouse or the spool" is always a prefix, recorded in the {@link WalCheckpoint}.
 * The file is deleted once it is sealed (no more appends) and every record in it is released.
 */
final class WalSegment {

    private static final int FRAME_HEADER = 8;

    private final Path file;
    private final FileChannel channel; // null for a segment recovered from an earlier run
    private final AtomicInteger appended = new AtomicInteger();
    private final ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER); // appending thread only
    private long bytes;                                                   // appending thread only
    private int released;                                                 // writer thread only
    private boolean sealed;
    private boolean deleted;

    private WalSegment(Path file, FileChannel channel, int records, boolean sealed) {
        this.file = file;
        this.channel = channel;
        this.appended.set(records);
        this.sealed = sealed;
    }

    static WalSegment create(Path file) throws IOException {
        return new WalSegment(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 0, false);
    }

    /** A segment left by an earlier run, sealed, with {@code released} of its records already durable. */
    static WalSegment recovered(Path file, int records, int released) {
        WalSegment segment = new WalSegment(file, null, records, true);
        segment.released = Math.min(released, records);
        return segment;
    }

    String name() {
        return file.getFileName().toString();
    }

    long bytes() {
        return bytes;
    }

    int released() {
        return released;
    }

    /**
     * Appends one record with a plain {@code write()}: once it returns, the record survives a crash of
     * this process (it is in the kernel's page cache), though not of the machine until {@link #force()}.
     * The record is counted before it is written, so the writer can never release more than was appended.
     */
    void append(byte[] predicate, byte[] row) throws IOException {
        appended.incrementAndGet();
        header.clear();
        header.putInt(row.length).putInt(predicate.length).flip();
        ByteBuffer[] frame = {header, ByteBuffer.wrap(predicate), ByteBuffer.wrap(row)};
        long length = FRAME_HEADER + (long) predicate.length + row.length;
        long written = 0;
        while (written < length) {
            written += channel.write(frame);
        }
        bytes += length;
    }

    /** Un-counts a record whose {@link #append} failed; the segment must then be sealed. */
    void appendFailed() {
        appended.decrementAndGet();
    }

    void force() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.force(false);
        }
    }

    /** No more appends; deletes the file if everything in it is already released. */
    synchronized void seal() throws IOException {
        if (!sealed) {
            sealed = true;
            if (channel != null) {
                channel.close();
            }
        }
        deleteIfDone();
    }

    /** The writer has made the next {@code records} records durable elsewhere. */
    synchronized void release(int records) throws IOException {
        released += records;
        deleteIfDone();
    }

    private void deleteIfDone() throws IOException {
        if (sealed && !deleted && released >= appended.get()) {
            deleted = true;
            Files.deleteIfExists(file);
        }
    }

    synchronized boolean isDeleted() {
        return deleted;
    }

    /** A recovered record: the row's bytes and the predicate that finds it in ClickHouse. */
    record Record(String landedPredicate, byte[] row) {}

    /**
     * The records of a segment file, stopping at a torn last frame (a machine crash in the middle of a
     * write; a process crash cannot tear a {@code write()}).
     */
    static List<Record> read(Path file) throws IOException {
        ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Record> records = new ArrayList<>();
        while (content.remaining() >= FRAME_HEADER) {
            int rowLength = content.getInt();
            int predicateLength = content.getInt();
            if (rowLength < 0 || predicateLength < 0 || (long) rowLength + predicateLength > content.remaining()) {
                break;
            }
            byte[] predicate = new byte[predicateLength];
            content.get(predicate);
            byte[] row = new byte[rowLength];
            content.get(row);
            records.add(new Record(new String(predicate, StandardCharsets.UTF_8), row));
        }
        return records;
    }

    @Override
    public String toString() {
        return "WalSegment[" + file + ", " + appended.get() + " appended, " + released + " released]";
    }
}
