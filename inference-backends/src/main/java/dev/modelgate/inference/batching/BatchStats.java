package dev.modelgate.inference.batching;

/**
 * One executed batch.
 *
 * @param requests       callers served by it
 * @param rows           rows in it (the first dimension of the concatenated inputs)
 * @param queueNanos     time the oldest of its requests waited before the batch started
 * @param executionNanos time the wrapped backend took to answer it
 * @param succeeded      whether the wrapped backend answered it
 */
public record BatchStats(int requests, long rows, long queueNanos, long executionNanos, boolean succeeded) {
}
