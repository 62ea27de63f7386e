package dev.modelgate.gateway.api;

import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.metrics.KeyMetrics;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import dev.modelgate.gateway.serving.ModelRegistry;
import java.util.Map;

/** Data-plane guards for in-process listeners, with limits counted in this process. */
final class TestGuards {

    static final DataPlaneAccess.Policy OPEN = new DataPlaneAccess.Policy(false, Map.of(), RateLimits.NONE, name -> false,
            RateLimits.NONE);

    private TestGuards() {}

    static DataPlaneGuard guard(DataPlaneAccess.Policy policy, KeyRing keys, ModelRegistry models, ExchangeLog log,
                                GatewayMetrics metrics) {
        return new DataPlaneGuard(new DataPlaneAccess(policy, keys, RateLimiter.local(System::currentTimeMillis),
                new KeyMetrics(metrics.registry())), models, log);
    }
}
