package dev.modelgate.gateway.routing;

import dev.modelgate.experiments.spec.ShadowBudget;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * A shadow experiment's budget: at most {@code max_concurrent} copies in flight and
 * {@code max_per_second} started, so shadows never compete with primary traffic. Both checks are
 * non-blocking: a copy over budget is dropped (and counted), never queued.
 */
public final class ShadowBudgetGate {

    private final ShadowBudget budget;
    private final Optional<Bulkhead> concurrency;
    private final Optional<RateLimiter> rate;

    public ShadowBudgetGate(String experiment, ShadowBudget budget) {
        this.budget = budget;
        this.concurrency = budget.maxConcurrent().isPresent()
                ? Optional.of(Bulkhead.of("shadow-" + experiment, BulkheadConfig.custom()
                        .maxConcurrentCalls(budget.maxConcurrent().getAsInt())
                        .maxWaitDuration(Duration.ZERO)
                        .build()))
                : Optional.empty();
        this.rate = budget.maxPerSecond().isPresent()
                ? Optional.of(RateLimiter.of("shadow-" + experiment, RateLimiterConfig.custom()
                        // a 100 ms refresh period keeps bursts at a tenth of the per-second budget
                        .limitRefreshPeriod(Duration.ofMillis(100))
                        .limitForPeriod(Math.max(1, (int) Math.round(budget.maxPerSecond().getAsDouble() / 10)))
                        .timeoutDuration(Duration.ZERO)
                        .build()))
                : Optional.empty();
    }

    public ShadowBudget budget() {
        return budget;
    }

    /** Takes a slot if the budget allows one now; the caller must {@link #release()} it when the copy ends. */
    public boolean tryAcquire() {
        if (concurrency.isPresent() && !concurrency.get().tryAcquirePermission()) {
            return false;
        }
        if (rate.isPresent() && !rate.get().acquirePermission()) {
            concurrency.ifPresent(Bulkhead::onComplete);
            return false;
        }
        return true;
    }

    public void release() {
        concurrency.ifPresent(Bulkhead::onComplete);
    }
}
