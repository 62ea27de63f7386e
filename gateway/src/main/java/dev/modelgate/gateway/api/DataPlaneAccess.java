package dev.modelgate.gateway.api;

import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.ApiKey;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.metrics.KeyMetrics;
import dev.modelgate.gateway.ratelimit.Decision;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who may call the data plane, and how often, whatever the transport: the HTTP listener asks through
 * {@link DataPlaneGuard}, the gRPC listener directly. {@link #authenticate} verifies the key sent (a
 * missing key when keys are required, an unknown or expired one: 401; a key not scoped to the model: 403);
 * {@link #limit} checks, in turn, the key's limits, the probing throttle, and the model's limits (anonymous
 * callers: the anonymous limits, then the model's), refusing with 429. Verification and local limits do no I/O.
 */
public final class DataPlaneAccess {

    private static final String BEARER = "Bearer ";

    /**
     * @param required        whether a call without a key is refused
     * @param throttled       keys the probing monitor holds to {@code throttleLimits}
     */
    public record Policy(boolean required, Map<String, RateLimits> modelLimits, RateLimits anonymous,
                         Predicate<String> throttled, RateLimits throttleLimits) {
        public Policy {
            modelLimits = Map.copyOf(modelLimits);
        }
    }

    /**
     * One check's outcome: admitted ({@code status} 0) or refused with the HTTP status that stands for it.
     *
     * @param key    the caller's key, also when refused for it (expired, out of scope, over its limit); null when anonymous or unknown
     * @param limits what the caller is told in {@code RateLimit-*} headers (and {@code Retry-After} when refused)
     */
    public record Verdict(ApiKey key, int status, String message, Decision limits) {

        public boolean admitted() {
            return status == 0;
        }

        /** The key's name for rows and metrics; empty for an anonymous caller. */
        public String keyName() {
            return key == null ? "" : key.name();
        }

        /** An anonymous caller admitted before its limits are checked: the same answer for every such call. */
        static final Verdict ANONYMOUS = new Verdict(null, 0, "", Decision.UNLIMITED);

        static Verdict admit(ApiKey key, Decision limits) {
            return new Verdict(key, 0, "", limits);
        }

        static Verdict refuse(ApiKey key, int status, String message, Decision limits) {
            return new Verdict(key, status, message, limits);
        }
    }

    private final Policy policy;
    private final KeyRing keys;
    private final RateLimiter limiter;
    private final KeyMetrics metrics;

    public DataPlaneAccess(Policy policy, KeyRing keys, RateLimiter limiter, KeyMetrics metrics) {
        this.policy = policy;
        this.keys = keys;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /**
     * The API key a caller sent: {@code Authorization: Bearer} when it carries one (it wins over X-API-Key),
     * else X-API-Key; null when neither does. A bearer that is no API key (the admin token, sent with
     * X-Force-Variant) is not one.
     */
    public static String credential(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String bearer = authorization.substring(BEARER.length()).trim();
            if (bearer.startsWith(KeySecrets.PREFIX)) {
                return bearer;
            }
        }
        return apiKeyHeader == null ? null : apiKeyHeader.trim();
    }

    /** @param model the model called, or null for a call that names none (feedback) */
    public Verdict authenticate(String credential, String model) {
        if (credential == null) {
            if (policy.required()) {
                metrics.refused("", "unauthenticated");
                return Verdict.refuse(null, 401, "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>",
                        Decision.UNLIMITED);
            }
            return Verdict.ANONYMOUS;
        }
        KeyRing.Verification verification = keys.verify(credential, System.currentTimeMillis());
        return switch (verification.status()) {
            case MISSING, INVALID -> {
                metrics.refused("", "unauthenticated");
                yield Verdict.refuse(null, 401, "invalid API key", Decision.UNLIMITED);
            }
            case EXPIRED -> {
                ApiKey key = verification.key();
                metrics.refused(key.name(), "expired");
                yield Verdict.refuse(key, 401, "API key '" + key.name() + "' expired at " + key.expiresAt(), Decision.UNLIMITED);
            }
            case OK -> scoped(verification.key(), model);
        };
    }

    private Verdict scoped(ApiKey key, String model) {
        metrics.request(key.name());
        if (model != null && !key.allows(model)) {
            metrics.refused(key.name(), "forbidden");
            return Verdict.refuse(key, 403, "API key '" + key.name() + "' may not call model '" + model + "'", Decision.UNLIMITED);
        }
        return Verdict.admit(key, Decision.UNLIMITED);
    }

    /** @param key the key {@link #authenticate} admitted, null for an anonymous caller */
    public Future<Verdict> limit(ApiKey key, String model) {
        Future<Decision> first = key == null
                ? limiter.acquire("anonymous:" + model, policy.anonymous())
                : limiter.acquire("key:" + key.name(), key.limits());
        return first.compose(decision -> !decision.allowed() || key == null || !policy.throttled().test(key.name())
                        ? Future.succeededFuture(decision)
                        : limiter.acquire("throttle:" + key.name(), policy.throttleLimits())
                                .map(throttle -> throttle.allowed() ? decision : throttle))
                .compose(decision -> !decision.allowed()
                        ? Future.succeededFuture(decision)
                        : limiter.acquire("model:" + model, policy.modelLimits().getOrDefault(model, RateLimits.NONE))
                                .map(byModel -> byModel.allowed() ? (decision.limited() ? decision : byModel) : byModel))
                .map(decision -> verdict(key, decision));
    }

    private Verdict verdict(ApiKey key, Decision decision) {
        if (decision.allowed()) {
            if (key != null && key.limits().limitsQuota()) {
                metrics.quotaUsed(key.name(), key.limits().quota() - decision.remaining());
            }
            return Verdict.admit(key, decision);
        }
        String name = key == null ? "" : key.name();
        metrics.refused(name, decision.reason());
        return Verdict.refuse(key, 429, (decision.reason().equals(Decision.QUOTA) ? "quota" : "rate limit") + " exceeded"
                + (key == null ? "" : " for API key '" + name + "'") + ": retry in " + decision.retryAfterSeconds() + " s", decision);
    }
}
