package dev.modelgate.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;

/** Token buckets by name: this replica's own, or the fleet's in Redis. */
interface BucketSource extends AutoCloseable {

    /** Takes one token from the named bucket (created with {@code configuration} if new). */
    Future<ConsumptionProbe> consume(String bucket, BucketConfiguration configuration);

    /** Drops a bucket this replica holds (a past quota period's). */
    void forget(String bucket);

    @Override
    default void close() {}
}
