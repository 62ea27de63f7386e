package dev.modelgate.gateway.api;

import dev.modelgate.gateway.ratelimit.Decision;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@link DataPlaneAccess} on the HTTP listener. {@link #authenticate()} runs before the body is read: an
 * API key is taken from {@code Authorization: Bearer <key>} or, when that header holds no API key, from
 * {@code X-API-Key}; a refusal is answered 401 (with {@code WWW-Authenticate: Bearer}) or 403 without
 * reading the body. {@link #limit()} runs after the body is read and answers 429 with {@code Retry-After};
 * every answer to a limited caller carries the {@code RateLimit-*} headers. Every refusal of an infer call
 * to a known model is logged as a row, like any other answer.
 */
public final class DataPlaneGuard {

    // read on every call: an optimized name keeps its hash and is not checked again
    static final CharSequence API_KEY_HEADER = HttpHeaders.createOptimized("X-API-Key");

    private final DataPlaneAccess access;
    private final ModelRegistry models;
    private final ExchangeLog log;

    public DataPlaneGuard(DataPlaneAccess access, ModelRegistry models, ExchangeLog log) {
        this.access = access;
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
        DataPlaneAccess.Verdict verdict = access.authenticate(DataPlaneAccess.credential(
                ctx.request().getHeader(HttpHeaders.AUTHORIZATION), ctx.request().getHeader(API_KEY_HEADER)), ctx.pathParam("model"));
        if (verdict.admitted()) {
            if (verdict.key() != null) {
                Callers.set(ctx, verdict.key());
            }
            ctx.next();
            return;
        }
        if (verdict.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        refuse(ctx, verdict, false);
    }

    private void limit(RoutingContext ctx) {
        access.limit(Callers.key(ctx).orElse(null), ctx.pathParam("model"))
                .onSuccess(verdict -> {
                    headers(ctx.response(), verdict.limits());
                    if (verdict.admitted()) {
                        ctx.next();
                        return;
                    }
                    ctx.response().putHeader("Retry-After", Long.toString(verdict.limits().retryAfterSeconds()));
                    refuse(ctx, verdict, true);
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

    /** Answers in JSON and, for an infer call to a known model, logs the refusal as the request's row. */
    private void refuse(RoutingContext ctx, DataPlaneAccess.Verdict verdict, boolean bodyRead) {
        String model = ctx.pathParam("model");
        ServedModel served = model == null ? null : models.find(model).orElse(null);
        if (served != null) {
            String requestId = RequestIds.next();
            ctx.response().putHeader(InferenceHandler.REQUEST_ID_HEADER, requestId);
            Buffer body = bodyRead ? ctx.body().buffer() : null;
            log.record(InferenceExchange.rejected(requestId, System.currentTimeMillis(), served,
                    ctx.request().getHeader(InferenceHandler.UNIT_ID_HEADER), body == null ? new byte[0] : body.getBytes(),
                    verdict.status(), verdict.message(), 0, InferenceExchange.REST, verdict.keyName()));
        }
        if (bodyRead) {
            ErrorResponses.send(ctx, verdict.status(), verdict.message());
        } else {
            ErrorResponses.refuseUnread(ctx, verdict.status(), verdict.message());
        }
    }
}
