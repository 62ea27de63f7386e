package dev.modelgate.gateway.telemetry.batch;

import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.InsertFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves spooled batches into ClickHouse once it answers again, oldest first, exactly once. Each turn
 * takes the oldest batches that fit in one batch ({@code batchSize} rows, {@code batchMaxBytes}) and
 * sends them as one insert, so that an outage's hundreds of small batches drain in a few inserts.
 * Batches whose insert had been sent are looked up first (after the fence, see {@link ClickHouseLink#landed})
 * and skipped if they landed. The merged insert is one block: after a failure, each of its batches is
 * either entirely in ClickHouse or not at all, which the next lookups tell. Writer thread only.
 */
final class SpoolReplay {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);

    private final String table;
    private final DiskSpool spool;
    private final ClickHouseLink link;
    private final WriterSettings settings;
    private final WriterMetrics metrics;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));

    SpoolReplay(String table, DiskSpool spool, ClickHouseLink link, WriterSettings settings, WriterMetrics metrics) {
        this.table = table;
        this.spool = spool;
        this.link = link;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Replays one insert's worth of the spool when a retry is due; does nothing otherwise. */
    void replayIfDue() {
        if (spool.isEmpty() || !link.retryDue()) {
            return;
        }
        List<SpooledBatch> due;
        try {
            due = spool.oldest(settings.batchSize(), settings.batchMaxBytes());
        } catch (IOException e) {
            LOG.error("{}: unreadable spool file, moving it aside", table, e);
            rejectOldestQuietly();
            return;
        }
        try {
            Replay replay = mergeUnlanded(due);
            if (replay.rows() > 0) {
                link.insert(replay.format(), new SequenceInputStream(Collections.enumeration(replay.streams())),
                        replay.landedPredicate());
            }
            spool.removeOldest(replay.batches());
            metrics.replayed(replay.rowsReplayed());
            link.succeeded();
            if (spool.isEmpty()) {
                LOG.info("{}: spool replayed, writing to ClickHouse directly again", table);
            }
        } catch (ClickHouseCallException e) {
            if (e.dataRejected()) {
                SpooledBatch oldest = due.get(0);
                metrics.dropped(DropReason.REJECTED, oldest.rowCount());
                LOG.error("{}: ClickHouse rejected spooled batch {} ({} rows), moving it aside: {}",
                        table, oldest.batchId(), oldest.rowCount(), e.getMessage());
                // merged with others, the culprit is not known: set the oldest aside, the rest go on alone
                rejectOldestQuietly();
                return;
            }
            link.failed(true);
            if (failureLog.tryAcquire()) {
                LOG.warn("{}: replay failed ({} batches spooled), next try in {} ms or when ClickHouse answers: {}", table,
                        spool.files(), link.backoffMillis(), e.getMessage());
            }
        } catch (IOException e) {
            LOG.error("{}: replayed spooled batches but could not delete their files", table, e);
        }
    }

    /**
     * The batches of one replay: the first {@code batches} spooled batches (all of one format), of which
     * those not already in ClickHouse are sent as {@code streams}, {@code rows} rows in all.
     */
    private record Replay(int batches, int rowsReplayed, int rows, InsertFormat format, String landedPredicate,
                          List<InputStream> streams) {}

    private Replay mergeUnlanded(List<SpooledBatch> due) throws ClickHouseCallException {
        InsertFormat format = due.get(0).format();
        List<InputStream> streams = new ArrayList<>();
        String predicate = null;
        int batches = 0;
        int replayed = 0;
        int rows = 0;
        for (SpooledBatch batch : due) {
            if (!batch.format().equals(format)) {
                break; // an older file in another format goes in an insert of its own
            }
            batches++;
            replayed += batch.rowCount();
            if (batch.attempted() && link.landed(batch.landedPredicate())) {
                LOG.info("{}: spooled batch {} is already in ClickHouse, not sending it again", table, batch.batchId());
                continue;
            }
            streams.add(batch.rowStream());
            predicate = predicate == null ? batch.landedPredicate() : predicate;
            rows += batch.rowCount();
        }
        return new Replay(batches, replayed, rows, format, predicate, streams);
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
