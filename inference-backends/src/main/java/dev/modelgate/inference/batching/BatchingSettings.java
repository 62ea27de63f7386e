package dev.modelgate.inference.batching;

import java.time.Duration;
import java.util.Objects;

/**
 * Triton's dynamic batcher settings.
 *
 * @param maxBatchSize          rows in one batch; a batch runs as soon as it holds this many
 * @param maxQueueDelay         how long the oldest request of a forming batch may wait for others
 *                              (millisecond resolution: Vert.x timers)
 * @param maxQueueSize          requests waiting (not yet running) across all batches; beyond it a
 *                              request fails at once with {@code OVERLOADED} instead of queueing
 * @param maxConcurrentBatches  batches running at once, usually the model's instance count: further
 *                              batches wait in the queue, where they keep growing, rather than in the
 *                              engine's worker queue
 */
public record BatchingSettings(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize, int maxConcurrentBatches) {

    public BatchingSettings {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
        Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
        if (maxQueueDelay.toMillis() < 1) {
            throw new IllegalArgumentException("maxQueueDelay must be >= 1 ms, got " + maxQueueDelay);
        }
        if (maxQueueSize < 1) {
            throw new IllegalArgumentException("maxQueueSize must be >= 1, got " + maxQueueSize);
        }
        if (maxConcurrentBatches < 1) {
            throw new IllegalArgumentException("maxConcurrentBatches must be >= 1, got " + maxConcurrentBatches);
        }
    }
}
