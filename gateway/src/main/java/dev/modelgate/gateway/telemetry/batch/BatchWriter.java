package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events of one table to ClickHouse in batches without losing any silently.
 *
 * <p>{@link #offer} is called from event loops: it never blocks and never throws; when the bounded
 * queue is full the event is dropped, counted and logged (throttled). One dedicated thread drains the
 * queue, encodes each event into the open batch as it takes it, and sends the batch when it has
 * {@code batchSize} rows or {@code flushInterval} after its first row. When ClickHouse fails, the
 * batch goes to a disk spool; while the spool holds anything, new batches go there too (to keep
 * arrival order) and the oldest spooled batch is retried with exponential backoff. Before re-sending a
 * spooled batch the writer asks ClickHouse whether its first row is already there: an insert is
 * atomic, so a batch whose first attempt timed out after the server took it is not written twice.
 * The schema is applied before the first ClickHouse call and again after every failure, so a gateway
 * that started while ClickHouse was down (or a ClickHouse that came back empty) gets its tables before
 * the spool is replayed into them.
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
    private static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(10);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final ClickHouseConnection clickHouse;
    private final ClickHouseSchema schema;
    private final RowEncoder<T> encoder;
    private final String table;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final long backoffMinNanos;
    private final long backoffMaxNanos;
    private final ArrayBlockingQueue<T> queue;
    private final DiskSpool spool;
    private final WriterMetrics metrics;
    private final LogThrottle queueFullLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle failureLog = new LogThrottle(LOG_INTERVAL);
    private final LogThrottle spoolFullLog = new LogThrottle(LOG_INTERVAL);
    private final Thread thread;

    // writer-thread state (handed to the closing thread by Thread.join)
    private final List<T> drained;
    private final RowBuffer buffer = new RowBuffer(1 << 16);
    private int batchRows;
    private String firstRowPredicate;
    private boolean schemaApplied;
    private long backoffNanos;
    private long nextReplayNanos;

    private volatile boolean closing;
    private volatile long closeDeadlineNanos;

    private BatchWriter(ClickHouseConnection clickHouse, ClickHouseSchema schema, RowEncoder<T> encoder,
                        WriterSettings settings, MeterRegistry registry) throws IOException {
        this.clickHouse = clickHouse;
        this.schema = schema;
        this.encoder = encoder;
        this.table = clickHouse.settings().qualify(encoder.table());
        this.batchSize = settings.batchSize();
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.backoffMinNanos = settings.replayBackoffMin().toNanos();
        this.backoffMaxNanos = settings.replayBackoffMax().toNanos();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.drained = new ArrayList<>(Math.min(batchSize, settings.queueCapacity()));
        this.spool = new DiskSpool(settings.spoolDir().resolve(table), settings.spoolMaxBytes());
        this.metrics = new WriterMetrics(registry, encoder.table(), queue, spool);
        this.backoffNanos = backoffMinNanos;
        this.nextReplayNanos = System.nanoTime();
        this.thread = new Thread(this::run, "modelgate-writer-" + encoder.table());
        // close() is the contract; a forgotten writer must not keep the JVM alive
        thread.setDaemon(true);
    }

    /**
     * Creates the writer and starts its thread. Batches left in the spool by an earlier run are replayed
     * first. {@code schema} must define the encoder's table.
     */
    public static <T> BatchWriter<T> start(ClickHouseConnection clickHouse, ClickHouseSchema schema, RowEncoder<T> encoder,
                                           WriterSettings settings, MeterRegistry registry) throws IOException {
        BatchWriter<T> writer = new BatchWriter<>(clickHouse, schema, encoder, settings, registry);
        if (!writer.spool.isEmpty()) {
            LOG.info("{}: {} batches ({} bytes) left in the spool will be replayed first",
                    writer.table, writer.spool.files(), writer.spool.bytes());
        }
        writer.thread.start();
        return writer;
    }

    /**
     * Queues an event for writing. Never blocks, never throws: false when the event was dropped (queue
     * full, writer closed, or a null event), which is counted in {@code modelgate_events_dropped_total}.
     */
    public boolean offer(T event) {
        if (event == null || closing) {
            metrics.dropped(event == null ? DropReason.ENCODE_ERROR : DropReason.CLOSED, 1);
            return false;
        }
        if (queue.offer(event)) {
            metrics.queued();
            return true;
        }
        metrics.dropped(DropReason.QUEUE_FULL, 1);
        if (queueFullLog.tryAcquire()) {
            LOG.warn("{}: queue full ({} events): dropped an event, and {} more since the last report",
                    table, queue.size(), queueFullLog.takeSuppressed());
        }
        return false;
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
            thread.join(Math.max(1, deadline.plus(clickHouse.settings().operationTimeout()).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("{}: writer did not finish within {}; {} events still queued", table, deadline, queue.size());
            return;
        }
        // an offer that raced with close() may have queued an event after the writer's last look
        drainQueueUntilEmpty();
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    private void run() {
        try {
            long batchDeadline = 0;
            while (!(closing && batchRows == 0 && queue.isEmpty())) {
                boolean batchWasEmpty = batchRows == 0;
                appendQueued(batchSize - batchRows);
                if (batchWasEmpty && batchRows > 0) {
                    batchDeadline = System.nanoTime() + flushIntervalNanos;
                }
                long untilDeadline = batchDeadline - System.nanoTime();
                if (batchRows >= batchSize || (batchRows > 0 && (closing || untilDeadline <= 0))) {
                    flush();
                } else if (queue.isEmpty() && !closing) {
                    long pause = batchRows == 0 ? IDLE_PAUSE_NANOS : Math.min(DRAIN_INTERVAL_NANOS, untilDeadline);
                    LockSupport.parkNanos(this, pause);
                }
                if (Thread.currentThread().isInterrupted()) {
                    LOG.error("{}: writer interrupted with {} events queued", table, queue.size());
                    return;
                }
                replayDueBatch();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: writer thread failed; further events will be dropped as queue_full", table, e);
            throw e;
        }
    }

    private void drainQueueUntilEmpty() {
        while (!queue.isEmpty()) {
            appendQueued(batchSize - batchRows);
            flush();
        }
    }

    private void appendQueued(int atMost) {
        queue.drainTo(drained, atMost);
        for (T event : drained) {
            append(event);
        }
        drained.clear();
    }

    /**
     * Encodes an event into the open batch as soon as it is taken from the queue, not when the batch is
     * sent: the event is still in the CPU's caches, and it becomes garbage at once instead of surviving
     * young collections for up to a flush interval. A row the encoder fails on is cut out and counted.
     */
    private void append(T event) {
        int mark = buffer.size();
        try {
            encoder.encode(event, buffer);
            if (batchRows == 0) {
                firstRowPredicate = encoder.landedPredicate(event);
            }
            batchRows++;
        } catch (IOException | RuntimeException e) {
            metrics.dropped(DropReason.ENCODE_ERROR, 1);
            if (failureLog.tryAcquire()) {
                LOG.warn("{}: could not encode an event, dropped it ({} similar reports suppressed)",
                        table, failureLog.takeSuppressed(), e);
            }
            buffer.truncate(mark);
        }
    }

    private void flush() {
        Timer.Sample sample = Timer.start();
        int rows = batchRows;
        if (rows > 0) {
            if (spool.isEmpty() && mayCallClickHouse()) {
                insertOrSpool(rows);
            } else {
                spoolBatch(rows);
            }
        }
        buffer.reset();
        batchRows = 0;
        firstRowPredicate = null;
        sample.stop(metrics.flushTimer());
    }

    /** After the close deadline, whatever is left goes straight to the spool. */
    private boolean mayCallClickHouse() {
        return !closing || closeDeadlineNanos - System.nanoTime() > 0;
    }

    private void insertOrSpool(int rows) {
        try {
            applySchemaOnce();
            clickHouse.insert(table, encoder.format(), buffer.asInputStream());
            metrics.written(rows);
        } catch (ClickHouseCallException e) {
            if (e.dataRejected()) {
                rejectBatch(rows, e);
                return;
            }
            schemaApplied = false;
            LOG.warn("{}: ClickHouse insert failed, spooling and retrying in {} ms: {}",
                    table, TimeUnit.NANOSECONDS.toMillis(backoffMinNanos), e.getMessage());
            backoffNanos = backoffMinNanos;
            nextReplayNanos = System.nanoTime() + backoffNanos;
            spoolBatch(rows);
        }
    }

    private void spoolBatch(int rows) {
        try {
            if (spool.append(table, UUID.randomUUID().toString(), rows, firstRowPredicate, encoder.format(), buffer)) {
                metrics.spooled(rows);
            } else {
                metrics.dropped(DropReason.SPOOL_FULL, rows);
                if (spoolFullLog.tryAcquire()) {
                    LOG.error("{}: spool full ({} bytes in {} files): dropped a batch of {} rows"
                            + " ({} similar reports suppressed)", table, spool.bytes(), spool.files(), rows,
                            spoolFullLog.takeSuppressed());
                }
            }
        } catch (IOException e) {
            metrics.dropped(DropReason.SPOOL_ERROR, rows);
            LOG.error("{}: could not write a batch of {} rows to the spool: dropped it", table, rows, e);
        }
    }

    private void rejectBatch(int rows, ClickHouseCallException cause) {
        metrics.dropped(DropReason.REJECTED, rows);
        try {
            Path kept = spool.reject(table, UUID.randomUUID().toString(), rows, firstRowPredicate, encoder.format(), buffer);
            LOG.error("{}: ClickHouse rejected a batch of {} rows, kept in {}: {}", table, rows, kept, cause.getMessage());
        } catch (IOException e) {
            LOG.error("{}: ClickHouse rejected a batch of {} rows ({}) and it could not be kept on disk",
                    table, rows, cause.getMessage(), e);
        }
    }

    /** Replays the oldest spooled batch when its retry time has come; one batch per call. */
    private void replayDueBatch() {
        if (closing || spool.isEmpty() || System.nanoTime() - nextReplayNanos < 0) {
            return;
        }
        SpooledBatch spooled;
        try {
            spooled = spool.oldest();
        } catch (IOException e) {
            LOG.error("{}: unreadable spool file, moving it aside", table, e);
            rejectOldestQuietly();
            return;
        }
        try {
            applySchemaOnce();
            if (clickHouse.count(spooled.table(), spooled.landedPredicate()) > 0) {
                LOG.info("{}: spooled batch {} is already in ClickHouse, not sending it again", table, spooled.batchId());
            } else {
                clickHouse.insert(spooled.table(), spooled.format(), spooled.rowStream());
            }
            spool.removeOldest();
            metrics.replayed(spooled.rowCount());
            backoffNanos = backoffMinNanos;
            nextReplayNanos = System.nanoTime();
            if (spool.isEmpty()) {
                LOG.info("{}: spool replayed, writing to ClickHouse directly again", table);
            }
        } catch (ClickHouseCallException e) {
            if (e.dataRejected()) {
                metrics.dropped(DropReason.REJECTED, spooled.rowCount());
                LOG.error("{}: ClickHouse rejected spooled batch {} ({} rows), moving it aside: {}",
                        table, spooled.batchId(), spooled.rowCount(), e.getMessage());
                rejectOldestQuietly();
                return;
            }
            schemaApplied = false;
            backoffNanos = Math.min(backoffNanos * 2, backoffMaxNanos);
            nextReplayNanos = System.nanoTime() + backoffNanos;
            if (failureLog.tryAcquire()) {
                LOG.warn("{}: replay failed ({} batches spooled), next try in {} ms: {}", table, spool.files(),
                        TimeUnit.NANOSECONDS.toMillis(backoffNanos), e.getMessage());
            }
        } catch (IOException e) {
            LOG.error("{}: replayed batch {} but could not delete its spool file", table, spooled.batchId(), e);
        }
    }

    private void applySchemaOnce() throws ClickHouseCallException {
        if (!schemaApplied) {
            schema.apply(clickHouse);
            schemaApplied = true;
        }
    }

    private void rejectOldestQuietly() {
        try {
            Path kept = spool.rejectOldest();
            LOG.error("{}: spool file moved to {}", table, kept);
        } catch (IOException e) {
            LOG.error("{}: could not move a spool file aside; replay is stuck until it is removed", table, e);
        }
    }
}
