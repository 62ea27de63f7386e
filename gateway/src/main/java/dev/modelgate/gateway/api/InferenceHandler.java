package dev.modelgate.gateway.api;

import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.gateway.routing.RequestRouter;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code POST /v2/models/{model}/infer}, top to bottom: find the model, decode and check the body,
 * route to a variant, run it under the model's deadline, answer, then count and log the exchange.
 * Runs on an event loop; the backend does its work elsewhere.
 */
public final class InferenceHandler implements Handler<RoutingContext> {

    static final String UNIT_ID_HEADER = "X-Unit-Id";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String VARIANT_HEADER = "X-Variant";
    static final String EXPERIMENT_HEADER = "X-Experiment";

    private final ModelRegistry models;
    private final RequestRouter router;
    private final GatewayMetrics metrics;
    private final PredictionEventFactory events;
    private final Consumer<PredictionEvent> eventLog;
    private final InferRequestDecoder decoder = new InferRequestDecoder();
    private final InferResponseEncoder encoder = new InferResponseEncoder();

    public InferenceHandler(ModelRegistry models, RequestRouter router, GatewayMetrics metrics,
                            PredictionEventFactory events, Consumer<PredictionEvent> eventLog) {
        this.models = models;
        this.router = router;
        this.metrics = metrics;
        this.events = events;
        this.eventLog = eventLog;
    }

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
        InferRequestDecoder.DecodedRequest decoded;
        try {
            decoded = decoder.decode(body);
        } catch (ApiException e) {
            String unitId = ctx.request().getHeader(UNIT_ID_HEADER);
            finish(ctx, new InferenceExchange(requestId, arrivalMillis, model, null, unitId, List.of(), body,
                    null, e.status(), e.getMessage(), System.nanoTime() - startNanos, 0));
            return;
        }
        String header = ctx.request().getHeader(UNIT_ID_HEADER);
        String unitId = header != null && !header.isEmpty() ? header : decoded.unitId();
        Route route = router.route(model, unitId);
        String callerId = decoded.id() != null ? decoded.id() : requestId;
        InferenceRequest request = new InferenceRequest(callerId, decoded.inputs(), decoded.requestedOutputs());

        long backendStart = System.nanoTime();
        route.variant().backend().infer(request)
                .timeout(model.config().timeout().toNanos(), TimeUnit.NANOSECONDS)
                .onComplete(result -> {
                    long now = System.nanoTime();
                    int status = result.succeeded() ? 200 : statusOf(result.cause());
                    String error = result.succeeded() ? null : messageOf(result.cause(), model);
                    metrics.recordBackend(model.name(), route.variant().name(), outcomeOf(status), now - backendStart);
                    finish(ctx, new InferenceExchange(requestId, arrivalMillis, model, route, unitId, decoded.inputs(),
                            body, result.result(), status, error, now - startNanos, now - backendStart));
                });
    }

    private void finish(RoutingContext ctx, InferenceExchange exchange) {
        HttpServerResponse response = ctx.response();
        Route route = exchange.route();
        String variant = route == null ? "" : route.variant().name();
        String experiment = route == null ? "" : route.experiment();
        if (!response.closed() && !response.ended()) {
            response.putHeader(VARIANT_HEADER, variant).putHeader(EXPERIMENT_HEADER, experiment);
            if (exchange.status() == 200) {
                respond(response, exchange.response(), exchange, variant, experiment);
            } else {
                ErrorResponses.send(ctx, exchange.status(), exchange.error());
            }
        }
        metrics.recordRequest(exchange.model().name(), variant, exchange.status(), exchange.totalNanos());
        eventLog.accept(events.create(exchange));
    }

    private void respond(HttpServerResponse response, InferenceResponse result, InferenceExchange exchange,
                         String variant, String experiment) {
        byte[] json = encoder.encode(result, exchange.model().name(),
                new InferResponseEncoder.Routing(exchange.requestId(), variant, experiment));
        response.putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(json));
    }

    private static int statusOf(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return 504;
        }
        if (failure instanceof InferenceException e) {
            return switch (e.kind()) {
                case INVALID_INPUT -> 400;
                case TIMEOUT -> 504;
                case OVERLOADED, BACKEND_FAILURE -> 503;
            };
        }
        return 503;
    }

    private static String messageOf(Throwable failure, ServedModel model) {
        if (failure instanceof TimeoutException) {
            return "model '" + model.name() + "' did not answer within " + model.config().timeout().toMillis() + " ms";
        }
        if (failure instanceof InferenceException e && e.kind() == InferenceException.Kind.INVALID_INPUT) {
            return e.getMessage();
        }
        return "model '" + model.name() + "' failed: " + failure.getMessage();
    }

    private static String outcomeOf(int status) {
        return status == 200 ? "ok" : status == 504 ? "timeout" : status == 400 ? "rejected" : "error";
    }
}
