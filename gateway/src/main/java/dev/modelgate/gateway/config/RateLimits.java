package dev.modelgate.gateway.config;

import java.time.Duration;

/**
 * The limits of one scope (an API key, or a model across all callers).
 *
 * @param ratePerSecond sustained requests per second; 0 for no rate limit
 * @param burst         requests allowed at once above the rate (the token bucket's capacity); at least 1
 * @param quota         requests per quota period; 0 for no quota
 * @param quotaPeriod   the quota's period, aligned to the epoch (a day starts at 00:00 UTC)
 */
public record RateLimits(double ratePerSecond, long burst, long quota, Duration quotaPeriod) {

    public static final Duration DAY = Duration.ofDays(1);
    public static final RateLimits NONE = new RateLimits(0, 1, 0, DAY);

    public RateLimits {
        if (ratePerSecond < 0 || burst < 1 || quota < 0 || quotaPeriod.isNegative() || quotaPeriod.isZero()) {
            throw new IllegalArgumentException("limits must be non-negative, burst at least 1 and the period positive");
        }
    }

    public boolean limitsRate() {
        return ratePerSecond > 0;
    }

    public boolean limitsQuota() {
        return quota > 0;
    }

    public boolean any() {
        return limitsRate() || limitsQuota();
    }
}
