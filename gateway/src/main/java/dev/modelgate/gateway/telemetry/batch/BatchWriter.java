package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import dev.modelgate.gateway.telemetry.clickhouse.StagedInsert;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events of one table to ClickHouse in batches without losing any silently.
 *
 * <p>{@link #offer} is called from event loops: it encodes the event into its row on the calling
 * thread (with an encoder of that thread's own), appends the row to the write-ahead log when durability
 * is {@code wal}, and queues it; it never blocks on the network and never throws. The queue is bounded
 * in rows and in bytes; past either bound the event is dropped, counted and logged (throttled). One
 * dedicated thread drains the queue into the open batch and sends the batch when it has
 * {@code batchSize} rows, {@code batchMaxBytes} bytes, or is {@code flushInterval} old.
 *
 * <p>When ClickHouse fails, the batch goes to a disk spool; while the spool holds anything, new batches
 * go there too (to keep arrival order), and {@link SpoolReplay} moves them into ClickHouse once it
 * answers again. Every insert goes through a {@link StagedInsert}, so that a replay can fence off every
 * earlier attempt and then look a batch up: a batch whose first attempt timed out — and that ClickHouse
 * executed anyway, even much later — is never written twice ({@link ClickHouseLink}).
 *
 * <p>The writer thread cannot die silently: anything it throws is counted in
 * {@code modelgate_events_writer_restarts_total} and logged, the rows it held go to the spool (or are
 * counted as dropped with reason {@code writer_error}), and it carries on. A writer that stops taking
 * from its queue anyway shows as {@link #stalled()}.
 */
public final class BatchWriter<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    /**
     * How long the writer lets events gather in the queue before draining them. It sleeps instead of
     * waiting on the queue: a waiting consumer makes every {@link #offer} wake it with a system call and
     * a context switch (about one per two events at 24,000 requests/s), which cost the event loops more
     * CPU than encoding the rows. 10 ms holds a few hundred events and is 1 % of the flush interval.
     */
    private static final long DRAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long the writer sleeps when no batch is open, before it looks at the queue, spool and close flag again. */
    private static final long IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** After a failure of the writer itself, so that a failure that repeats does not spin a core. */
    private static final long RESTART_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The batch buffer's first size; it grows to what the batches need and keeps that ({@link #retainedBatchBytes}). */
    private static final int BATCH_BUFFER_BYTES = 1 << 20;
    /**
     * One write-ahead segment: about 10,000 prediction rows, written out by the writer thread in a few
     * milliseconds when it prepares a spare.
     */
    private static final int WAL_SEGMENT_BYTES = 4 << 20;
    private static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(10);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final ClickHouseConnection clickHouse;
    private final ClickHouseLink link;
    private final SpoolReplay replay;
    private final ThreadLocal<RowEncoding<T>> encodings;
    private final InsertFormat format;
    private final String table;
    private final WriterSettings settings;
    private final RowQueue queue;
    private final DiskSpool spool;
    private final FolderLock spoolLock;
    private final FolderLock walLock;
    private final WriteAheadLog wal;
    private final WriterMetrics metrics;
    private final LogThrottle queueFullLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle encodeLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle walLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle spoolFullLog = new LogThrottle(LOG_INTERVAL);
    private final Thread thread;

    // writer-thread state (handed to the closing thread by Thread.join)
    private RowBuffer buffer = new RowBuffer(BATCH_BUFFER_BYTES);
    private int batchRows;
    private long batchDeadline;
    private String firstRowPredicate;
    private final Map<WalSegment, Integer> batchSegments = new IdentityHashMap<>();
    private long nextForceNanos;

    private volatile long lastTakeNanos = System.nanoTime();
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;

    private BatchWriter(ClickHouseConnection clickHouse, ClickHouseSchema schema, Supplier<? extends RowEncoder<T>> encoders,
                        WriterSettings settings, MeterRegistry registry) throws IOException {
        RowEncoder<T> first = encoders.get();
        this.clickHouse = clickHouse;
        this.encodings = ThreadLocal.withInitial(() -> new RowEncoding<>(encoders.get()));
        this.format = first.format();
        this.table = clickHouse.settings().qualify(first.table());
        this.settings = settings;
        this.queue = new RowQueue(settings.queueCapacity(), settings.queueMaxBytes());
        this.spoolLock = FolderLock.acquire(settings.spoolDir().resolve(table), "spool_dir");
        try {
            this.walLock = settings.walDir() == null ? null : FolderLock.acquire(settings.walDir().resolve(table), "wal_dir");
        } catch (IOException e) {
            spoolLock.close();
            throw e;
        }
        this.spool = new DiskSpool(settings.spoolDir().resolve(table), settings.spoolMaxBytes());
        this.link = new ClickHouseLink(clickHouse, schema, new StagedInsert(clickHouse, first.table(), spool.writerId()), settings);
        this.wal = settings.walDir() == null ? null : WriteAheadLog.open(settings.walDir().resolve(table), WAL_SEGMENT_BYTES);
        this.metrics = new WriterMetrics(registry, first.table(), this, spool);
        this.replay = new SpoolReplay(table, spool, link, settings, metrics);
        this.thread = new Thread(this::run, "modelgate-writer-" + first.table());
        // close() is the contract; a forgotten writer must not keep the JVM alive
        thread.setDaemon(true);
    }

    /**
     * Creates the writer and starts its thread. What an earlier run left — batches in the spool, rows in
     * the write-ahead log — is written first. {@code schema} must define the encoders' table;
     * {@code encoders} makes one encoder per offering thread.
     */
    public static <T> BatchWriter<T> start(ClickHouseConnection clickHouse, ClickHouseSchema schema,
                                           Supplier<? extends RowEncoder<T>> encoders, WriterSettings settings,
                                           MeterRegistry registry) throws IOException {
        BatchWriter<T> writer = new BatchWriter<>(clickHouse, schema, encoders, settings, registry);
        if (!writer.spool.isEmpty()) {
            LOG.info("{}: {} batches ({} bytes) left in the spool will be replayed first",
                    writer.table, writer.spool.files(), writer.spool.bytes());
        }
        writer.thread.start();
        return writer;
    }

    /**
     * Encodes and queues an event (and, with a write-ahead log, makes it survive a crash of this process
     * before returning). Never blocks on the network, never throws: false when the event was dropped
     * (queue full, writer closed, or an event the encoder failed on), which is counted in
     * {@code modelgate_events_dropped_total}.
     */
    public boolean offer(T event) {
        if (event == null || closing) {
            metrics.dropped(event == null ? DropReason.ENCODE_ERROR : DropReason.CLOSED, 1);
            return false;
        }
        RowEncoding<T> encoding = encodings.get();
        byte[] row;
        String predicate;
        try {
            row = encoding.encode(event);
            predicate = encoding.encoder.landedPredicate(event);
        } catch (IOException | RuntimeException e) {
            metrics.dropped(DropReason.ENCODE_ERROR, 1);
            if (encodeLog.tryAcquire()) {
                LOG.warn("{}: could not encode an event, dropped it ({} similar reports suppressed)", table, encodeLog.takeSuppressed(), e);
            }
            return false;
        }
        if (!queue.reserve(row.length)) {
            metrics.dropped(DropReason.QUEUE_FULL, 1);
            if (queueFullLog.tryAcquire()) {
                LOG.warn("{}: queue full ({} events, {} bytes): dropped an event, and {} more since the last report",
                        table, queue.size(), queue.bytes(), queueFullLog.takeSuppressed());
            }
            return false;
        }
        queue.add(new RowQueue.Row(row, predicate, appendToLog(predicate, row)));
        metrics.queued();
        return true;
    }

    /** The segment now holding the row, or null without a log (or when the append failed: counted). */
    private WalSegment appendToLog(String predicate, byte[] row) {
        if (wal == null) {
            return null;
        }
        try {
            return wal.append(predicate.getBytes(StandardCharsets.UTF_8), row);
        } catch (IOException | InternalError e) { // InternalError: how an I/O fault in a mapped file surfaces
            metrics.walError();
            if (walLog.tryAcquire()) {
                LOG.error("{}: could not append to the write-ahead log; the event is still written but would not survive"
                        + " a crash ({} similar reports suppressed)", table, walLog.takeSuppressed(), e);
            }
            return null;
        }
    }

    int queuedRows() {
        return queue.size();
    }

    long queuedBytes() {
        return queue.bytes();
    }

    /**
     * True while events wait and the writer has not taken any for the stall timeout: its thread is stuck
     * (or gone), and nothing offered now will be written. ClickHouse being down is not a stall: the
     * writer keeps taking and spools.
     */
    public boolean stalled() {
        return queue.size() > 0 && System.nanoTime() - lastTakeNanos > settings.stallTimeout().toNanos();
    }

    /** The qualified table this writer writes. */
    public String table() {
        return table;
    }

    /**
     * Stops accepting events and writes everything queued to ClickHouse, or to the spool once ClickHouse
     * fails or the deadline has passed. A ClickHouse call started just before the deadline may overrun it
     * by at most the connection's operation timeout, after which its batch is spooled.
     */
    public void close(Duration deadline) {
        closeDeadlineNanos = System.nanoTime() + deadline.toNanos();
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, deadline.plus(clickHouse.settings().operationTimeout().multipliedBy(4)).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("{}: writer did not finish within {}; {} events still queued", table, deadline, queue.size());
            return;
        }
        // an offer that raced with close() may have queued an event after the writer's last look
        while (!queue.isEmpty()) {
            takeQueued();
            flush();
        }
        try {
            if (wal != null) {
                wal.close();
                walLock.close();
            }
            spoolLock.close();
        } catch (IOException e) {
            LOG.warn("{}: could not close the write-ahead log or release its folders; rows still logged are replayed at the next start",
                    table, e);
        }
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    private void run() {
        recoverWriteAheadLog();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!step()) {
                    return;
                }
            } catch (Throwable failure) { // including OutOfMemoryError: the writer must outlive it
                restartAfter(failure);
            }
        }
        LOG.error("{}: writer interrupted with {} events queued", table, queue.size());
    }

    /** One turn of the writer: take, maybe send, maybe replay. False once closed and empty. */
    private boolean step() {
        if (closing && batchRows == 0 && queue.isEmpty()) {
            return false;
        }
        takeQueued();
        long untilDeadline = batchDeadline - System.nanoTime();
        if (batchFull() || (batchRows > 0 && (closing || untilDeadline <= 0))) {
            flush();
        } else if (queue.isEmpty() && !closing) {
            LockSupport.parkNanos(this, batchRows == 0 ? IDLE_PAUSE_NANOS : Math.min(DRAIN_INTERVAL_NANOS, untilDeadline));
        }
        if (!closing) {
            replay.replayIfDue();
        }
        maintainLog();
        return true;
    }

    /**
     * A batch ends at the first row that takes it to {@code batchMaxBytes}, so its buffer, grown by doubling,
     * stays under twice that unless one row alone is larger.
     */
    private int retainedBatchBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(BATCH_BUFFER_BYTES, 2 * settings.batchMaxBytes()));
    }

    private boolean batchFull() {
        return batchRows >= settings.batchSize() || buffer.size() >= settings.batchMaxBytes();
    }

    private void takeQueued() {
        lastTakeNanos = System.nanoTime();
        RowQueue.Row queued;
        while (!batchFull() && (queued = queue.poll()) != null) {
            append(queued.bytes(), queued.landedPredicate(), queued.segment());
        }
    }

    private void append(byte[] row, String landedPredicate, WalSegment segment) {
        if (batchRows == 0) {
            firstRowPredicate = landedPredicate;
            batchDeadline = System.nanoTime() + settings.flushInterval().toNanos();
        }
        buffer.write(row, 0, row.length);
        batchRows++;
        if (segment != null) {
            batchSegments.merge(segment, 1, Integer::sum);
        }
    }

    /** Sends (or spools) the open batch and starts an empty one. */
    private void flush() {
        Timer.Sample sample = Timer.start();
        if (batchRows > 0) {
            String batchId = UUID.randomUUID().toString();
            beginAttempt(batchId);
            if (spool.isEmpty() && mayCallClickHouse()) {
                insertOrSpool(batchId);
            } else {
                spoolBatch(batchId, false);
            }
            completeAttempt();
        }
        buffer.reset(retainedBatchBytes());
        batchRows = 0;
        firstRowPredicate = null;
        sample.stop(metrics.flushTimer());
    }

    /** With a write-ahead log: a crash from here on finds the batch named in the checkpoint. */
    private void beginAttempt(String batchId) {
        if (wal != null && !batchSegments.isEmpty()) {
            try {
                wal.beginAttempt(batchId, firstRowPredicate, batchSegments);
            } catch (IOException e) {
                LOG.warn("{}: could not write the write-ahead log's checkpoint; a crash now could write this batch twice", table, e);
            }
        }
    }

    /** The batch is in ClickHouse or the spool (or counted as dropped): its log records are released. */
    private void completeAttempt() {
        if (wal != null && !batchSegments.isEmpty()) {
            try {
                wal.completeAttempt(batchSegments);
            } catch (IOException e) {
                LOG.warn("{}: could not write the write-ahead log's checkpoint; a crash now could write a batch twice", table, e);
            }
        }
        batchSegments.clear();
    }

    /** After the close deadline, whatever is left goes straight to the spool. */
    private boolean mayCallClickHouse() {
        return !closing || closeDeadlineNanos - System.nanoTime() > 0;
    }

    private void insertOrSpool(String batchId) {
        try {
            link.insert(format, buffer.asInputStream(), firstRowPredicate);
            metrics.written(batchRows);
        } catch (ClickHouseCallException e) {
            if (e.dataRejected()) {
                rejectBatch(batchId, e);
                return;
            }
            link.failed(false);
            LOG.warn("{}: ClickHouse insert failed, spooling and retrying in {} ms: {}",
                    table, link.backoffMillis(), e.getMessage());
            spoolBatch(batchId, true);
        }
    }

    /** @param attempted an insert of this batch was sent and may have landed */
    private void spoolBatch(String batchId, boolean attempted) {
        try {
            if (spool.append(table, batchId, batchRows, firstRowPredicate, attempted, format, buffer)) {
                metrics.spooled(batchRows);
            } else {
                metrics.dropped(DropReason.SPOOL_FULL, batchRows);
                if (spoolFullLog.tryAcquire()) {
                    LOG.error("{}: spool full ({} bytes in {} files): dropped a batch of {} rows"
                            + " ({} similar reports suppressed)", table, spool.bytes(), spool.files(), batchRows,
                            spoolFullLog.takeSuppressed());
                }
            }
        } catch (IOException e) {
            metrics.dropped(DropReason.SPOOL_ERROR, batchRows);
            LOG.error("{}: could not write a batch of {} rows to the spool: dropped it", table, batchRows, e);
        }
    }

    private void rejectBatch(String batchId, ClickHouseCallException cause) {
        metrics.dropped(DropReason.REJECTED, batchRows);
        try {
            Path kept = spool.reject(table, batchId, batchRows, firstRowPredicate, format, buffer);
            LOG.error("{}: ClickHouse rejected a batch of {} rows, kept in {}: {}", table, batchRows, kept, cause.getMessage());
        } catch (IOException e) {
            LOG.error("{}: ClickHouse rejected a batch of {} rows ({}) and it could not be kept on disk",
                    table, batchRows, cause.getMessage(), e);
        }
    }

    /** Spare segments for the offering threads, and the periodic force to disk if one is configured. */
    private void maintainLog() {
        if (wal == null) {
            return;
        }
        try {
            wal.prepareSpares();
        } catch (IOException e) {
            if (walLog.tryAcquire()) {
                LOG.warn("{}: could not prepare a write-ahead segment ({} similar reports suppressed)", table,
                        walLog.takeSuppressed(), e);
            }
        }
        long interval = settings.walFsyncInterval().toNanos();
        long now = System.nanoTime();
        if (interval > 0 && now - nextForceNanos >= 0) {
            nextForceNanos = now + interval;
            wal.force();
        }
    }

    /**
     * Rows an earlier run accepted but never sent are written like new ones; the batch it was sending
     * when it ended goes to the spool, whose replay looks it up before sending it again.
     */
    private void recoverWriteAheadLog() {
        if (wal == null) {
            return;
        }
        try {
            WriteAheadLog.Recovery recovery = wal.recover(spool, table, format);
            if (recovery.inFlightLost() > 0) {
                metrics.dropped(DropReason.SPOOL_FULL, recovery.inFlightLost());
                LOG.error("{}: the spool is full: dropped the {} rows the last run was writing when it ended", table,
                        recovery.inFlightLost());
            }
            for (WriteAheadLog.Pending pending : recovery.pending()) {
                append(pending.row(), pending.landedPredicate(), pending.segment());
                if (batchFull()) {
                    flush();
                }
            }
            metrics.recovered(recovery.pending().size());
            if (!recovery.pending().isEmpty()) {
                LOG.info("{}: recovered {} rows from the write-ahead log of the last run", table, recovery.pending().size());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: could not recover the write-ahead log of the last run; its files stay for an operator", table, e);
        }
    }

    /**
     * The writer failed in a way it did not expect. The batch it held goes to the spool — whose replay
     * looks it up first, so a batch that had reached ClickHouse is not written twice — or, if even that
     * fails, is counted as dropped; then the writer starts over with fresh buffers.
     */
    private void restartAfter(Throwable failure) {
        metrics.restarted();
        int rows = batchRows;
        LOG.error("{}: writer failed with {} rows in its open batch; spooling them and restarting", table, rows, failure);
        try {
            if (rows > 0) {
                String batchId = UUID.randomUUID().toString();
                beginAttempt(batchId);
                spoolBatch(batchId, true);
            }
        } catch (Throwable again) {
            metrics.dropped(DropReason.WRITER_ERROR, rows);
            LOG.error("{}: could not spool the {} rows of the failed writer: dropped them", table, rows, again);
        }
        buffer = new RowBuffer(BATCH_BUFFER_BYTES);
        batchRows = 0;
        firstRowPredicate = null;
        completeAttempt();
        link.failed(false);
        LockSupport.parkNanos(this, RESTART_PAUSE_NANOS);
    }

    /** An offering thread's encoder and the buffer it encodes into. */
    private static final class RowEncoding<T> {

        /** Rows are capped far below this; a buffer grown past it by a freak row is not kept. */
        private static final int RETAINED_BYTES = 1 << 20;

        private final RowEncoder<T> encoder;
        private final RowBuffer out = new RowBuffer(4096);

        RowEncoding(RowEncoder<T> encoder) {
            this.encoder = encoder;
        }

        byte[] encode(T event) throws IOException {
            out.reset(RETAINED_BYTES);
            encoder.encode(event, out);
            return out.toByteArray();
        }
    }
}
