package dev.modelgate.inference.batching;

/**
 * What the batcher reports, for the gateway to bind to its metrics (this module does not depend on
 * Micrometer): batch sizes, queue and execution times, rejections. Called on Vert.x threads; must
 * not block.
 */
public interface BatchingListener {

    BatchingListener NONE = new BatchingListener() {
    };

    /** A batch ran (successfully or not). */
    default void batchCompleted(BatchStats stats) {
    }

    /** A request was refused because the queue was full. */
    default void requestRejected() {
    }
}
