package dev.modelgate.gateway.telemetry.batch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off from the threads that offer events to the writer thread: encoded rows, bounded both in
 * count and in bytes. Room is {@link #reserve reserved} before a row is appended to the write-ahead log,
 * so that a row in the log is never one the queue then refuses. Lock-free: offering threads only touch
 * two counters and a linked queue.
 */
final class RowQueue {

    /** One encoded row, with the write-ahead segment it must be released from (null without a log). */
    record Row(byte[] bytes, String landedPredicate, WalSegment segment) {}

    private final Queue<Row> rows = new ConcurrentLinkedQueue<>();
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
