package dev.modelgate.gateway.telemetry.batch;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The hand-off from the threads that offer events to the writer thread: encoded rows, bounded both in
 * count and in bytes. Room is {@link #reserve reserved} before a row is appended to the write-ahead log,
 * so that a row in the log is never one the queue then refuses. Lock-free: offering threads only touch
 * two counters and the queue, JCTools' multi-producer single-consumer queue: an offer is one atomic add
 * and a store into a pooled chunk, where a {@code ConcurrentLinkedQueue} allocated a node and raced on its
 * tail (2-3x the cost per offer with both event loops offering, in a microbenchmark). The writer thread is
 * the one consumer; {@code BatchWriter.close} drains the rest only after it has ended.
 */
final class RowQueue {

    /** One encoded row, with the write-ahead segment it must be released from (null without a log). */
    record Row(byte[] bytes, String landedPredicate, WalSegment segment) {}

    /** Rows per chunk of the queue: about 10 ms of a busy gateway's events. */
    private static final int CHUNK_ROWS = 1024;

    private final Queue<Row> rows = new MpscUnboundedXaddArrayQueue<>(CHUNK_ROWS);
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final int maxCount;
    private final long maxBytes;

    RowQueue(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** Room for one more row of {@code rowBytes}; false (and nothing reserved) when either bound is reached. */
    boolean reserve(int rowBytes) {
        if (count.incrementAndGet() > maxCount) {
            count.decrementAndGet();
            return false;
        }
        if (bytes.addAndGet(rowBytes) > maxBytes) {
            bytes.addAndGet(-rowBytes);
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Queues a row whose room was {@link #reserve reserved}. */
    void add(Row row) {
        rows.add(row);
    }

    /** The oldest row, its room given back; null when empty. Writer thread. */
    Row poll() {
        Row row = rows.poll();
        if (row != null) {
            count.decrementAndGet();
            bytes.addAndGet(-row.bytes().length);
        }
        return row;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Rows queued or reserved. */
    int size() {
        return count.get();
    }

    long bytes() {
        return bytes.get();
    }
}
