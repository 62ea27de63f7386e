package dev.modelgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per API key: requests, refusals by reason (unauthenticated callers have no key and are counted under
 * {@code key=""}), and the share of the quota used in the current period. Meters are cached per key:
 * building one on every request would cost a registry lookup.
 */
public final class KeyMetrics {

    private record Refusal(String key, String reason) {}

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> quotaUsed = new ConcurrentHashMap<>();

    public KeyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String key) {
        requests.computeIfAbsent(key, k -> Counter.builder("modelgate.keys.requests").tag("key", k)
                .description("requests presented with this API key").register(registry)).increment();
    }

    /** @param reason unauthenticated, expired, forbidden, rate, quota or throttled */
    public void refused(String key, String reason) {
        refusals.computeIfAbsent(new Refusal(key, reason), r -> Counter.builder("modelgate.keys.rejections")
                .tag("key", r.key()).tag("reason", r.reason())
                .description("requests refused (401, 403, 429) by key and reason").register(registry)).increment();
    }

    public void quotaUsed(String key, long used) {
        quotaUsed.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("modelgate.keys.quota.used", value, AtomicLong::get).tag("key", k)
                    .description("requests counted against the key's quota in the current period").register(registry);
            return value;
        }).set(used);
    }
}
