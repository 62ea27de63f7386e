package dev.modelgate.gateway.api;

import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.routing.RoutingRequest;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.CallerContext;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.resilience.Served;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every infer call goes through once its protocol has decoded it, REST or gRPC alike: route to a
 * variant, run it under the call's deadline (falling back along the model's chain if the assigned
 * variant fails), account for the exchange, answer through the protocol's {@link Responder}, then send
 * shadow copies. Runs on an event loop; backends do their work elsewhere.
 */
public final class InferencePipeline {

    /**
     * The parts of a request that are known before any backend runs.
     *
     * @param body          the request as received, logged as {@code request_json} (empty for gRPC)
     * @param deadlineNanos the whole call's budget from {@code startNanos}: the model's timeout, or a shorter
     *                      deadline the caller set
     * @param apiKey        the name of the caller's API key; empty for an anonymous call
     */
    public record Call(String requestId, long startNanos, long arrivalMillis, ServedModel model, String unitId, byte[] body,
                       String protocol, long deadlineNanos, String apiKey) {

        /** The same call, with the unit id known once the request is decoded. */
        public Call withUnitId(String unit) {
            return new Call(requestId, startNanos, arrivalMillis, model, unit, body, protocol, deadlineNanos, apiKey);
        }
    }

    /** How one protocol answers an exchange. */
    public interface Responder {

        /**
         * Prepares the answer to {@code exchange} (status 200 or an error) and returns what sends it: the
         * exchange is logged in between, so that an answered request is already in the log. Throws when no
         * answer can be made from it.
         */
        Runnable prepare(InferenceExchange exchange);

        /** {@link #prepare} threw: the exchange has not been logged, and the caller has no answer yet. */
        void cannotAnswer(InferenceExchange exchange, RuntimeException failure);
    }

    private final Vertx vertx;
    private final RequestRouter router;
    private final ExchangeLog log;
    private final ShadowDispatcher shadows;
    /** Requests handed to a backend and not yet accounted for: shutdown waits for them before the event logs close. */
    private final AtomicInteger inBackends = new AtomicInteger();

    public InferencePipeline(Vertx vertx, RequestRouter router, ExchangeLog log) {
        this.vertx = vertx;
        this.router = router;
        this.log = log;
        this.shadows = new ShadowDispatcher(vertx, log);
    }

    /** Where the call goes; throws {@link ApiException} or {@link IllegalArgumentException} when it cannot be routed. */
    public Route route(Call call, Supplier<Map<String, String>> attributes, Optional<String> forcedVariant) {
        return router.route(call.model(), new RoutingRequest(Optional.ofNullable(call.unitId()), attributes, forcedVariant));
    }

    /**
     * The assigned variant, then the model's fallback chain, all within the call's deadline: the call's one
     * timer, on the caller's event loop (backends set none of their own for the same deadline, which the
     * request carries).
     */
    public void serve(Call call, Route route, InferenceRequest request, Responder responder) {
        long backendStart = System.nanoTime();
        long deadline = call.startNanos() + call.deadlineNanos();
        InferenceRequest bounded = request.withDeadline(deadline);
        inBackends.incrementAndGet();
        CallerContext.within(vertx, call.model().chainFrom(route.variant()).infer(bounded), deadline - backendStart,
                        () -> new TimeoutException("deadline of model '" + call.model().name() + "' passed"))
                .onComplete(result -> {
                    try {
                        account(call, route, bounded, result, backendStart, responder);
                    } finally {
                        inBackends.decrementAndGet(); // after the exchange is logged: shutdown waits for it
                    }
                });
    }

    /** A call turned away before routing (bad request, forbidden forcing): logged, then answered. */
    public void reject(Call call, int status, String message, Responder responder) {
        InferenceExchange exchange = InferenceExchange.rejected(call.requestId(), call.arrivalMillis(), call.model(),
                call.unitId(), call.body(), status, message, System.nanoTime() - call.startNanos(), call.protocol(), call.apiKey());
        log.record(exchange);
        responder.prepare(exchange).run();
    }

    /**
     * An infer call answered before its model was known (no such model: 404; a gRPC message over the size
     * limit: 413, or not a request at all: 400): counted, with no row, as there is no model to log it under.
     */
    public void unknownModel(String protocol, int status, long startNanos) {
        log.unknownModel(protocol, status, System.nanoTime() - startNanos);
    }

    /** Requests whose backend call is still running (each ends within its call's deadline). */
    public int inBackends() {
        return inBackends.get();
    }

    /** Logs the exchange, then answers it: with durability wal an answered request is already in the log. */
    private void account(Call call, Route route, InferenceRequest request, AsyncResult<Served> result, long backendStart,
                         Responder responder) {
        long now = System.nanoTime();
        boolean ok = result.succeeded();
        String served = ok ? result.result().servedBy() : route.variant().name();
        String reason = ok && !served.equals(route.variant().name()) ? Route.REASON_FALLBACK : route.reason();
        InferenceExchange exchange = new InferenceExchange(call.requestId(), call.arrivalMillis(), call.model(), route,
                served, reason, PredictionEvent.ROLE_PRIMARY, call.unitId(), request.inputs(), call.body(),
                ok ? result.result().response() : null, ok ? 200 : FailureStatus.of(result.cause()),
                ok ? null : FailureStatus.message(result.cause(), call.model(), TimeUnit.NANOSECONDS.toMillis(call.deadlineNanos())),
                now - call.startNanos(), now - backendStart, call.protocol(), call.apiKey());
        Runnable answer;
        try {
            answer = responder.prepare(exchange);
        } catch (RuntimeException e) {
            responder.cannotAnswer(exchange, e);
            return;
        }
        log.record(exchange);
        answer.run();
        if (!route.shadows().isEmpty()) {
            shadows.dispatch(route.shadows(), call.model(), request, exchange);
        }
    }
}
