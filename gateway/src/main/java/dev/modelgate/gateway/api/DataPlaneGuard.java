package dev.modelgate.gateway.api;

import dev.modelgate.gateway.config.RateLimits;
import dev.modelgate.gateway.keys.ApiKey;
import dev.modelgate.gateway.keys.KeyRing;
import dev.modelgate.gateway.keys.KeySecrets;
import dev.modelgate.gateway.metrics.KeyMetrics;
import dev.modelgate.gateway.ratelimit.Decision;
import dev.modelgate.gateway.ratelimit.RateLimiter;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who may call the data plane, and how often. {@link #authenticate()} runs before the body is read: an
 * API key is taken from {@code Authorization: Bearer <key>} or, when that header holds no API key, from
 * {@code X-API-Key}; a missing (when keys are required), unknown or expired key is refused with 401, a
 * key not scoped to the model with 403. {@link #limit()} runs after the body is read and checks, in
 * turn, the key's limits, the probing throttle, and the model's limits (anonymous callers: the
 * anonymous limits, then the model's), refusing with 429. Every refusal of an infer call to a known
 * model is logged as a row, like any other answer; verification and local limits do no I/O.
 */
public final class DataPlaneGuard {

    static final String API_KEY_HEADER = "X-API-Key";
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

    private final Policy policy;
    private final KeyRing keys;
    private final RateLimiter limiter;
    private final KeyMetrics metrics;
    private final ModelRegistry models;
    private final ExchangeLog log;

    public DataPlaneGuard(Policy policy, KeyRing keys, RateLimiter limiter, KeyMetrics metrics, ModelRegistry models,
                          ExchangeLog log) {
        this.policy = policy;
        this.keys = keys;
        this.limiter = limiter;
        this.metrics = metrics;
        this.models = models;
        this.log = log;
    }

    /** For routes with a {@code :model} parameter (infer) and without (feedback). */
    public Handler<RoutingContext> authenticate() {
        return this::authenticate;
    }

    public Handler<RoutingContext> limit() {
        return this::limit;
    }

    private void authenticate(RoutingContext ctx) {
        String presented = credential(ctx);
        if (presented == null) {
            if (policy.required()) {
                unauthorized(ctx, "", "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>");
                return;
            }
            ctx.next();
            return;
        }
        KeyRing.Verification verification = keys.verify(presented, System.currentTimeMillis());
        switch (verification.status()) {
            case MISSING, INVALID -> unauthorized(ctx, "", "invalid API key");
            case EXPIRED -> {
                metrics.refused(verification.key().name(), "expired");
                unauthorized(ctx, verification.key().name(), "API key '" + verification.key().name() + "' expired at "
                        + verification.key().expiresAt());
            }
            case OK -> admit(ctx, verification.key());
        }
    }

    private void admit(RoutingContext ctx, ApiKey key) {
        Callers.set(ctx, key);
        metrics.request(key.name());
        String model = ctx.pathParam("model");
        if (model != null && !key.allows(model)) {
            metrics.refused(key.name(), "forbidden");
            refuse(ctx, 403, "API key '" + key.name() + "' may not call model '" + model + "'", key.name(), false);
            return;
        }
        ctx.next();
    }

    private void unauthorized(RoutingContext ctx, String keyName, String message) {
        if (keyName.isEmpty()) {
            metrics.refused("", "unauthenticated");
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        refuse(ctx, 401, message, keyName, false);
    }

    private void limit(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        ApiKey key = Callers.key(ctx).orElse(null);
        Future<Decision> first = key == null
                ? limiter.acquire("anonymous:" + model, policy.anonymous())
                : limiter.acquire("key:" + key.name(), key.limits());
        first.compose(decision -> !decision.allowed() || key == null || !policy.throttled().test(key.name())
                        ? Future.succeededFuture(decision)
                        : limiter.acquire("throttle:" + key.name(), policy.throttleLimits())
                                .map(throttle -> throttle.allowed() ? decision : throttle))
                .compose(decision -> !decision.allowed()
                        ? Future.succeededFuture(decision)
                        : limiter.acquire("model:" + model, policy.modelLimits().getOrDefault(model, RateLimits.NONE))
                                .map(byModel -> byModel.allowed() ? (decision.limited() ? decision : byModel) : byModel))
                .onSuccess(decision -> {
                    headers(ctx.response(), decision);
                    if (decision.allowed()) {
                        if (key != null && key.limits().limitsQuota()) {
                            metrics.quotaUsed(key.name(), key.limits().quota() - decision.remaining());
                        }
                        ctx.next();
                        return;
                    }
                    String name = key == null ? "" : key.name();
                    metrics.refused(name, decision.reason());
                    ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                    refuse(ctx, 429, (decision.reason().equals(Decision.QUOTA) ? "quota" : "rate limit") + " exceeded"
                            + (key == null ? "" : " for API key '" + name + "'") + ": retry in " + decision.retryAfterSeconds()
                            + " s", name, true);
                })
                .onFailure(ctx::fail);
    }

    /** The IETF draft's RateLimit-Limit / -Remaining / -Reset (seconds), for the first limit that applies. */
    private static void headers(HttpServerResponse response, Decision decision) {
        if (!decision.limited()) {
            return;
        }
        response.putHeader("RateLimit-Limit", Long.toString(decision.limit()))
                .putHeader("RateLimit-Remaining", Long.toString(decision.remaining()))
                .putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    }

    /**
     * The API key sent: {@code Authorization: Bearer} when it carries one (it wins over X-API-Key), else
     * X-API-Key. A bearer that is no API key (the admin token, sent with X-Force-Variant) is not one.
     */
    private static String credential(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String bearer = authorization.substring(BEARER.length()).trim();
            if (bearer.startsWith(KeySecrets.PREFIX)) {
                return bearer;
            }
        }
        String header = ctx.request().getHeader(API_KEY_HEADER);
        return header == null ? null : header.trim();
    }

    /** Answers in JSON and, for an infer call to a known model, logs the refusal as the request's row. */
    private void refuse(RoutingContext ctx, int status, String message, String keyName, boolean bodyRead) {
        String model = ctx.pathParam("model");
        ServedModel served = model == null ? null : models.find(model).orElse(null);
        if (served != null) {
            String requestId = RequestIds.next();
            ctx.response().putHeader(InferenceHandler.REQUEST_ID_HEADER, requestId);
            Buffer body = bodyRead ? ctx.body().buffer() : null;
            log.record(InferenceExchange.rejected(requestId, System.currentTimeMillis(), served,
                    ctx.request().getHeader(InferenceHandler.UNIT_ID_HEADER), body == null ? new byte[0] : body.getBytes(),
                    status, message, 0, InferenceExchange.REST, keyName));
        }
        if (bodyRead) {
            ErrorResponses.send(ctx, status, message);
        } else {
            ErrorResponses.refuseUnread(ctx, status, message);
        }
    }
}
