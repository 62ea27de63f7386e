package dev.modelgate.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import dev.modelgate.gateway.state.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's buckets, in Redis through Bucket4j's Lettuce integration (compare-and-swap on one key
 * per bucket, asynchronous: no thread waits for Redis). A request waits at most {@code timeout} for
 * Redis; when Redis is slower, that request is decided by this replica's own buckets (the swap still
 * lands in Redis: the request is counted there too). When Redis fails, or is too slow
 * {@value #SLOW_STREAK} times in a row, a warning is logged and the replica counts alone for
 * {@code retryAfter} before trying Redis again, so an outage costs no request more than one timeout.
 * While alone, each replica allows the full limit: the fleet may then allow up to N times the limit.
 */
final class FleetBuckets implements BucketSource {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBuckets.class);
    private static final int SLOW_STREAK = 3;

    private final RedisClient client;
    private final RedisURI uri;
    private final String prefix;
    private final Duration timeout;
    private final long retryAfterNanos;
    private final LocalBuckets local;
    private final AtomicReference<AsyncProxyManager<String>> proxies = new AtomicReference<>();
    private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();
    /** System.nanoTime() before which Redis is not tried; 0 when Redis is in use */
    private final AtomicLong aloneUntil = new AtomicLong();
    private final AtomicLong connecting = new AtomicLong();
    /** Timeouts in a row: one slow answer on a loaded host is no outage */
    private final AtomicInteger slow = new AtomicInteger();
    /**
     * One proxy per bucket, so that Bucket4j's batching applies: requests of this replica to a bucket while
     * a compare-and-swap of it is in flight go to Redis together in the next one, instead of each retrying
     * its own swap against the others.
     */
    private final Map<String, AsyncBucketProxy> remote = new ConcurrentHashMap<>();
    /** Whether the last call to Redis succeeded (the gauge: alone() alone turns 0 when its period ends unused). */
    private volatile boolean healthy;
    private final Counter fallbacks;

    /** @param redis a client of its own (closed with this), made as every Redis client of the gateway is */
    FleetBuckets(RedisEndpoint redis, String keyPrefix, Duration timeout, Duration retryAfter, LocalBuckets local, MeterRegistry registry) {
        this.uri = redis.uri();
        this.client = redis.client();
        this.prefix = keyPrefix + ":ratelimit:";
        this.timeout = timeout;
        this.retryAfterNanos = retryAfter.toNanos();
        this.local = local;
        this.fallbacks = Counter.builder("modelgate.ratelimit.local.fallbacks")
                .description("limit checks counted by this replica alone because Redis failed or was too slow").register(registry);
        Gauge.builder("modelgate.ratelimit.redis.degraded", this, f -> f.healthy ? 0 : 1)
                .description("1 while Redis is unreachable and this replica counts rate limits alone").register(registry);
        connect();
    }

    @Override
    public Future<ConsumptionProbe> consume(String bucket, BucketConfiguration configuration) {
        AsyncProxyManager<String> manager = proxies.get();
        if (manager == null || alone()) {
            if (manager == null) {
                connect();
            }
            return local.consume(bucket, configuration);
        }
        Context context = Vertx.currentContext();
        var probe = remote.computeIfAbsent(bucket, name -> manager.builder().withOptimization(Optimizations.batching())
                        .build(prefix + name, configuration))
                .tryConsumeAndReturnRemaining(1)
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Future<ConsumptionProbe> fleet = context == null ? Future.fromCompletionStage(probe) : Future.fromCompletionStage(probe, context);
        return fleet.onSuccess(answered -> {
            healthy = true;
            slow.set(0);
        }).recover(failure -> {
            fallbacks.increment();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof TimeoutException) || slow.incrementAndGet() >= SLOW_STREAK) {
                goAlone(failure);
            }
            return local.consume(bucket, configuration);
        });
    }

    /** The fleet's bucket expires in Redis by itself; only the local fallback's is dropped. */
    @Override
    public void forget(String bucket) {
        remote.remove(bucket);
        local.forget(bucket);
    }

    boolean alone() {
        long until = aloneUntil.get();
        return until != 0 && System.nanoTime() - until < 0;
    }

    private void goAlone(Throwable failure) {
        healthy = false;
        slow.set(0);
        long previous = aloneUntil.getAndSet(System.nanoTime() + retryAfterNanos);
        if (previous == 0 || System.nanoTime() - previous >= 0) {
            LOG.warn("rate limits counted by this replica alone for {} ms: Redis failed or took longer than {} ms ({})",
                    TimeUnit.NANOSECONDS.toMillis(retryAfterNanos), timeout.toMillis(), failure.toString());
        }
    }

    /** Connects in the background (at most one attempt per retry period); until then limits are local. */
    private void connect() {
        long now = System.nanoTime();
        long last = connecting.get();
        if (last != 0 && now - last < retryAfterNanos || !connecting.compareAndSet(last, now)) {
            return;
        }
        client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri)
                .whenComplete((connected, failure) -> {
                    if (failure != null) {
                        goAlone(failure);
                        return;
                    }
                    connection.set(connected);
                    healthy = true;
                    proxies.set(Bucket4jLettuce.casBasedBuilder(connected.async())
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                            .build().asAsync());
                    LOG.info("rate limits counted fleet-wide in Redis");
                });
    }

    @Override
    public void close() {
        var c = connection.getAndSet(null);
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
