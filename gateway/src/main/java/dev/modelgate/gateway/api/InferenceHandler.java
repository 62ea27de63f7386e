package dev.modelgate.gateway.api;

import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.routing.RoutingRequest;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.resilience.Served;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v2/models/{model}/infer}, top to bottom: find the model, decode and check the body,
 * route to a variant, run it under the model's deadline (falling back to the model's default variant
 * if the assigned one fails), account for the exchange, answer, then send shadow copies. Runs on an
 * event loop; backends do their work elsewhere.
 */
public final class InferenceHandler implements Handler<RoutingContext> {

    static final String UNIT_ID_HEADER = "X-Unit-Id";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String VARIANT_HEADER = "X-Variant";
    static final String EXPERIMENT_HEADER = "X-Experiment";

    private final ModelRegistry models;
    private final RequestRouter router;
    private final VariantForcing forcing;
    private final GatewayMetrics metrics;
    private final ExchangeLog log;
    private final ShadowDispatcher shadows;
    private final InferRequestDecoder decoder = new InferRequestDecoder();
    /** Requests handed to a backend and not yet accounted for: shutdown waits for them before the event logs close. */
    private final AtomicInteger inBackends = new AtomicInteger();
    private final InferResponseEncoder encoder = new InferResponseEncoder();

    public InferenceHandler(ModelRegistry models, RequestRouter router, VariantForcing forcing, GatewayMetrics metrics,
                            ExchangeLog log) {
        this.models = models;
        this.router = router;
        this.forcing = forcing;
        this.metrics = metrics;
        this.log = log;
        this.shadows = new ShadowDispatcher(log);
    }

    /** The rows of infer calls that failed before this handler answered them. */
    EarlyRejections earlyRejections() {
        return new EarlyRejections(models, log);
    }

    /** The parts of a request that are known before any backend runs. */
    private record Call(String requestId, long startNanos, long arrivalMillis, ServedModel model, String unitId, byte[] body) {}

    @Override
    public void handle(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        long arrivalMillis = System.currentTimeMillis();
        String requestId = RequestIds.next();
        ctx.response().putHeader(REQUEST_ID_HEADER, requestId);

        ServedModel model = models.find(ctx.pathParam("model")).orElse(null);
        if (model == null) {
            ErrorResponses.send(ctx, 404, "model '" + ctx.pathParam("model") + "' not found");
            metrics.recordRequest("_unknown", "", 404, System.nanoTime() - startNanos);
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String header = ctx.request().getHeader(UNIT_ID_HEADER);
        Call call = new Call(requestId, startNanos, arrivalMillis, model, header, body);
        InferRequestDecoder.DecodedRequest decoded;
        Route route;
        try {
            decoded = decoder.decode(body);
            call = new Call(requestId, startNanos, arrivalMillis, model,
                    header != null && !header.isEmpty() ? header : decoded.unitId(), body);
            route = router.route(model, new RoutingRequest(Optional.ofNullable(call.unitId()),
                    attributes(ctx, decoded), forcing.forcedVariant(ctx.request())));
        } catch (ApiException e) {
            reject(ctx, call, e.status(), e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            reject(ctx, call, 400, e.getMessage());
            return;
        }
        String callerId = decoded.id() != null ? decoded.id() : requestId;
        InferenceRequest request = new InferenceRequest(callerId, decoded.inputs(), decoded.requestedOutputs());
        serve(ctx, call, route, request);
    }

    /** The assigned variant, then the model's fallback chain, all within the model's deadline. */
    private void serve(RoutingContext ctx, Call call, Route route, InferenceRequest request) {
        long backendStart = System.nanoTime();
        long remaining = call.startNanos() + call.model().config().timeout().toNanos() - backendStart;
        inBackends.incrementAndGet();
        call.model().chainFrom(route.variant()).infer(request)
                .timeout(Math.max(1, remaining), TimeUnit.NANOSECONDS)
                .onComplete(result -> account(ctx, call, route, request, result, backendStart))
                .onComplete(done -> inBackends.decrementAndGet());
    }

    /** Requests whose backend call is still running (each ends within its model's deadline). */
    public int inBackends() {
        return inBackends.get();
    }

    /** Logs the exchange, then answers it: with durability wal an answered request is already in the log. */
    private void account(RoutingContext ctx, Call call, Route route, InferenceRequest request,
                         AsyncResult<Served> result, long backendStart) {
        long now = System.nanoTime();
        boolean ok = result.succeeded();
        String served = ok ? result.result().servedBy() : route.variant().name();
        String reason = ok && !served.equals(route.variant().name()) ? Route.REASON_FALLBACK : route.reason();
        InferenceExchange exchange = new InferenceExchange(call.requestId(), call.arrivalMillis(), call.model(), route,
                served, reason, PredictionEvent.ROLE_PRIMARY, call.unitId(), request.inputs(), call.body(),
                ok ? result.result().response() : null, ok ? 200 : FailureStatus.of(result.cause()),
                ok ? null : FailureStatus.message(result.cause(), call.model()), now - call.startNanos(), now - backendStart,
                Callers.keyName(ctx));
        byte[] json;
        try {
            json = responseBody(exchange);
        } catch (RuntimeException e) {
            ctx.fail(e); // the router's 500 handler answers, and logs that instead (EarlyRejections)
            return;
        }
        log.record(exchange);
        respond(ctx, exchange, json);
        if (!route.shadows().isEmpty()) {
            shadows.dispatch(route.shadows(), call.model(), request, exchange);
        }
    }

    private void reject(RoutingContext ctx, Call call, int status, String message) {
        InferenceExchange exchange = InferenceExchange.rejected(call.requestId(), call.arrivalMillis(), call.model(),
                call.unitId(), call.body(), status, message, System.nanoTime() - call.startNanos(), Callers.keyName(ctx));
        log.record(exchange);
        respond(ctx, exchange, null);
    }

    /** The JSON of a successful answer, null for an error (whose body {@link ErrorResponses} writes). */
    private byte[] responseBody(InferenceExchange exchange) {
        if (exchange.status() != 200) {
            return null;
        }
        return encoder.encode(exchange.response(), exchange.model().name(),
                new InferResponseEncoder.Routing(exchange.requestId(), exchange.servedVariant(), exchange.experiment()));
    }

    private static void respond(RoutingContext ctx, InferenceExchange exchange, byte[] json) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.putHeader(VARIANT_HEADER, exchange.servedVariant()).putHeader(EXPERIMENT_HEADER, exchange.experiment());
        if (json == null) {
            ErrorResponses.send(ctx, exchange.status(), exchange.error());
            return;
        }
        response.putHeader("Content-Type", "application/json").end(Buffer.buffer(json));
    }

    /** Targeting rules see the request's headers (lower-cased names) and its scalar body parameters. */
    private static Map<String, String> attributes(RoutingContext ctx, InferRequestDecoder.DecodedRequest decoded) {
        Map<String, String> attributes = new HashMap<>(decoded.parameters());
        ctx.request().headers().forEach(e -> attributes.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return attributes;
    }
}
