package dev.modelgate.gateway.ratelimit;

import dev.modelgate.gateway.config.AuthConfig;
import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.state.RedisEndpoint;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rate limits and quotas of named scopes ({@code key:<name>}, {@code model:<name>}, ...). A scope's
 * rate is a token bucket (capacity = burst, refilled greedily at the rate); its quota is a bucket per
 * period (named by the period's index since the epoch, so every replica counts the same day in the same
 * bucket, and the next period starts full). The rate is checked first: a request turned away by the
 * rate does not use up quota.
 */
public final class RateLimiter implements AutoCloseable {

    private final BucketSource buckets;
    private final LongSupplier clockMillis;
    private final Map<RateLimits, BucketConfiguration> rates = new ConcurrentHashMap<>();
    private final Map<RateLimits, BucketConfiguration> quotas = new ConcurrentHashMap<>();

    RateLimiter(BucketSource buckets, LongSupplier clockMillis) {
        this.buckets = buckets;
        this.clockMillis = clockMillis;
    }

    /** Limits counted by this replica alone. */
    public static RateLimiter local(LongSupplier clockMillis) {
        return new RateLimiter(new LocalBuckets(), clockMillis);
    }

    /** Limits counted fleet-wide in Redis, by this replica alone while Redis cannot answer in time. */
    public static RateLimiter fleet(RedisEndpoint redis, String keyPrefix, AuthConfig.LimiterSettings settings, MeterRegistry registry,
                                    LongSupplier clockMillis) {
        return new RateLimiter(new FleetBuckets(redis, keyPrefix, settings.redisTimeout(), settings.retryAfter(),
                new LocalBuckets(), registry), clockMillis);
    }

    public Future<Decision> acquire(String scope, RateLimits limits) {
        if (limits.limitsRate()) {
            return buckets.consume("rate:" + scope, rates.computeIfAbsent(limits, RateLimiter::rateBucket))
                    .compose(probe -> {
                        if (!probe.isConsumed()) {
                            long wait = seconds(probe.getNanosToWaitForRefill());
                            return Future.succeededFuture(new Decision(false, Decision.RATE, limits.burst(), 0, wait, wait));
                        }
                        return limits.limitsQuota() ? quota(scope, limits) : Future.succeededFuture(
                                new Decision(true, "", limits.burst(), probe.getRemainingTokens(),
                                        seconds(probe.getNanosToWaitForReset()), 0));
                    });
        }
        return limits.limitsQuota() ? quota(scope, limits) : Future.succeededFuture(Decision.UNLIMITED);
    }

    private Future<Decision> quota(String scope, RateLimits limits) {
        long now = clockMillis.getAsLong();
        long period = limits.quotaPeriod().toMillis();
        long index = Math.floorDiv(now, period);
        long reset = Math.max(1, ((index + 1) * period - now + 999) / 1000);
        String prefix = "quota:" + scope + ":";
        buckets.forget(prefix + (index - 1));
        return buckets.consume(prefix + index, quotas.computeIfAbsent(limits, RateLimiter::quotaBucket))
                .map(probe -> probe.isConsumed()
                        ? new Decision(true, "", limits.quota(), probe.getRemainingTokens(), reset, 0)
                        : new Decision(false, Decision.QUOTA, limits.quota(), 0, reset, reset));
    }

    private static BucketConfiguration rateBucket(RateLimits limits) {
        long nanosPerToken = Math.max(1, Math.round(1e9 / limits.ratePerSecond()));
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limits.burst()).refillGreedy(1, Duration.ofNanos(nanosPerToken)).build())
                .build();
    }

    /** Full at the start of its period; the next period has a bucket of its own, so the refill never comes into play. */
    private static BucketConfiguration quotaBucket(RateLimits limits) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limits.quota()).refillIntervally(limits.quota(), limits.quotaPeriod()).build())
                .build();
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    @Override
    public void close() {
        buckets.close();
    }
}
