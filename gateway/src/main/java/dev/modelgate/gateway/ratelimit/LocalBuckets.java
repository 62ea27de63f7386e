package dev.modelgate.gateway.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's buckets: Bucket4j's lock-free in-memory buckets, shared by the event loops. A quota's
 * bucket is named per period, so the one of a past period is dropped when the next one is made.
 */
final class LocalBuckets implements BucketSource {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public Future<ConsumptionProbe> consume(String bucket, BucketConfiguration configuration) {
        return Future.succeededFuture(probe(bucket, configuration));
    }

    ConsumptionProbe probe(String bucket, BucketConfiguration configuration) {
        return buckets.computeIfAbsent(bucket, name -> Bucket.builder().withNanosecondPrecision()
                        .addLimit(configuration.getBandwidths()[0]).build())
                .tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void forget(String bucket) {
        buckets.remove(bucket);
    }
}
