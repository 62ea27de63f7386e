package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The write-ahead log of one writer: every accepted row is appended here on the thread that offers
 * it, before the caller answers its client, so a crash of the process loses no answered request. Each
 * offering thread has a memory-mapped segment of its own (no lock and no system call on the request
 * path); a full segment is sealed and replaced by a spare that the writer thread created in advance, so
 * that an event loop does not wait for a new file to be written out. The writer thread releases records
 * once they are in ClickHouse or in the spool and records that in the {@link WalCheckpoint}; a segment
 * is deleted when it is sealed and fully released. At start, {@link #recover} settles what an earlier
 * run left behind.
 */
final class WriteAheadLog implements AutoCloseable {

    private static final String SUFFIX = ".wal";
    private static final int MAX_SPARES = 2;

    private final Path dir;
    private final int segmentBytes;
    private final AtomicLong nextSequence;
    private final ThreadLocal<WalSegment> active = new ThreadLocal<>();
    /** Segments that may hold unreleased records; the checkpoint lists them. */
    private final Set<WalSegment> live = ConcurrentHashMap.newKeySet();
    /** Empty segments ready to be taken; about one per appending thread. */
    private final Queue<WalSegment> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger appendingThreads = new AtomicInteger();
    private final List<Path> leftovers;

    private WriteAheadLog(Path dir, int segmentBytes, List<Path> leftovers, long nextSequence) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.leftovers = leftovers;
        this.nextSequence = new AtomicLong(nextSequence);
    }

    /** @param segmentBytes size of one segment file; a larger row gets a segment of its own size */
    static WriteAheadLog open(Path dir, int segmentBytes) throws IOException {
        Files.createDirectories(dir);
        List<Path> leftovers;
        try (Stream<Path> files = Files.list(dir)) {
            leftovers = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().collect(Collectors.toList());
        }
        long next = 0;
        for (Path file : leftovers) {
            next = Math.max(next, sequenceOf(file) + 1);
        }
        return new WriteAheadLog(dir, segmentBytes, leftovers, next);
    }

    /** Appends a row from the calling thread; returns the segment holding it. */
    WalSegment append(byte[] landedPredicate, byte[] row) throws IOException {
        int frame = WalSegment.FRAME_HEADER + landedPredicate.length + row.length;
        WalSegment segment = active.get();
        if (segment == null || !segment.fits(frame)) {
            if (segment == null) {
                appendingThreads.incrementAndGet();
            } else {
                segment.seal();
            }
            segment = takeSegment(frame);
            live.add(segment);
            active.set(segment);
        }
        segment.append(landedPredicate, row);
        return segment;
    }

    private WalSegment takeSegment(int frame) throws IOException {
        WalSegment spare = spares.poll();
        if (spare != null && spare.fits(frame)) {
            return spare;
        }
        if (spare != null) {
            spares.add(spare);
        }
        // no spare ready (or a freak row larger than a segment): this thread writes the file itself
        return newSegment(Math.max(segmentBytes, frame + 2 * WalSegment.FRAME_HEADER));
    }

    private WalSegment newSegment(int size) throws IOException {
        return WalSegment.create(dir.resolve(String.format("%019d%s", nextSequence.getAndIncrement(), SUFFIX)), size);
    }

    /**
     * Writer thread: keeps an empty segment ready per appending thread, at most {@link #MAX_SPARES}
     * (the event loops; tables written from a worker pool's many threads rotate rarely).
     */
    void prepareSpares() throws IOException {
        while (spares.size() < Math.min(MAX_SPARES, appendingThreads.get())) {
            spares.add(newSegment(segmentBytes));
        }
    }

    /** Forces every open segment to disk (for {@code fsync_interval_ms}). Writer thread. */
    void force() {
        for (WalSegment segment : live) {
            segment.force();
        }
    }

    /** Writer thread: the batch about to be sent covers {@code counts} records of these segments. */
    void beginAttempt(String batchId, String landedPredicate, Map<WalSegment, Integer> counts) throws IOException {
        Map<String, Integer> ends = new HashMap<>();
        counts.forEach((segment, n) -> ends.put(segment.name(), segment.released() + n));
        new WalCheckpoint(releasedCounts(), new WalCheckpoint.InFlight(batchId, landedPredicate, ends)).write(dir);
    }

    /** Writer thread: those records are in ClickHouse or the spool (or counted as dropped). */
    void completeAttempt(Map<WalSegment, Integer> counts) throws IOException {
        for (Map.Entry<WalSegment, Integer> entry : counts.entrySet()) {
            entry.getKey().release(entry.getValue());
        }
        live.removeIf(WalSegment::isDeleted);
        new WalCheckpoint(releasedCounts(), null).write(dir);
    }

    private Map<String, Integer> releasedCounts() {
        Map<String, Integer> released = new HashMap<>();
        for (WalSegment segment : live) {
            released.put(segment.name(), segment.released());
        }
        return released;
    }

    /** A row an earlier run accepted and never attempted to write, with the segment to release it from. */
    record Pending(WalSegment segment, String landedPredicate, byte[] row) {}

    /**
     * What {@link #recover} found.
     *
     * @param pending        rows to write like new ones
     * @param inFlightLost   rows of the batch in flight that the spool had no room for
     */
    record Recovery(List<Pending> pending, int inFlightLost) {}

    /**
     * Settles the segments an earlier run left. The batch that run had in flight may or may not have
     * reached ClickHouse: unless the spool already holds it, it goes to the spool as it was, whose replay
     * looks its first row up in ClickHouse before sending it again. Returns the records after it, which
     * were never sent, for the writer to write like new ones. Writer thread, before anything else.
     */
    Recovery recover(DiskSpool spool, String table, InsertFormat format) throws IOException {
        WalCheckpoint checkpoint = WalCheckpoint.read(dir);
        WalCheckpoint.InFlight inFlight = checkpoint.inFlight();
        boolean inFlightSpooled = inFlight != null && inFlight.batchId().equals(spool.newestBatchId());
        RowBuffer inFlightRows = new RowBuffer(1 << 12);
        int inFlightCount = 0;
        List<Pending> pending = new ArrayList<>();
        for (Path file : leftovers) {
            String name = file.getFileName().toString();
            List<WalSegment.Record> records = WalSegment.read(file);
            int released = checkpoint.released().getOrDefault(name, 0);
            int inFlightEnd = inFlight == null ? released : Math.max(released, inFlight.ends().getOrDefault(name, released));
            if (!inFlightSpooled) {
                for (int i = released; i < Math.min(inFlightEnd, records.size()); i++) {
                    inFlightRows.write(records.get(i).row());
                    inFlightCount++;
                }
            }
            WalSegment segment = WalSegment.recovered(file, records.size(), inFlightEnd);
            live.add(segment);
            for (int i = inFlightEnd; i < records.size(); i++) {
                pending.add(new Pending(segment, records.get(i).landedPredicate(), records.get(i).row()));
            }
            segment.seal();
        }
        boolean lost = inFlightCount > 0
                && !spool.append(table, inFlight.batchId(), inFlightCount, inFlight.landedPredicate(), true, format, inFlightRows);
        live.removeIf(WalSegment::isDeleted);
        new WalCheckpoint(releasedCounts(), null).write(dir);
        return new Recovery(pending, lost ? inFlightCount : 0);
    }

    /** Seals every segment; those fully released are deleted, and so are the spares. */
    @Override
    public void close() throws IOException {
        for (WalSegment segment : live) {
            segment.seal();
        }
        live.removeIf(WalSegment::isDeleted);
        for (WalSegment spare = spares.poll(); spare != null; spare = spares.poll()) {
            spare.seal();
        }
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
