package dev.modelgate.gateway.api;

import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.CallerJson;
import dev.modelgate.inference.InferenceRequest;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v2/models/{model}/infer}, top to bottom: find the model, decode and check the body, then
 * hand it to the {@link InferencePipeline} (route, serve under the model's deadline with its fallback
 * chain, account, shadows), answering in the protocol's JSON. Runs on an event loop.
 */
public final class InferenceHandler implements Handler<RoutingContext> {

    // optimized names keep their hash and skip validation: Vert.x would otherwise hash and check a String each time
    static final CharSequence UNIT_ID_HEADER = HttpHeaders.createOptimized("X-Unit-Id");
    static final CharSequence REQUEST_ID_HEADER = HttpHeaders.createOptimized("X-Request-Id");
    static final CharSequence VARIANT_HEADER = HttpHeaders.createOptimized("X-Variant");
    static final CharSequence EXPERIMENT_HEADER = HttpHeaders.createOptimized("X-Experiment");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private final ModelRegistry models;
    private final InferencePipeline pipeline;
    private final VariantForcing forcing;
    private final ExchangeLog log;
    private final InferRequestDecoder decoder = new InferRequestDecoder();
    private final InferResponseEncoder encoder = new InferResponseEncoder();

    public InferenceHandler(ModelRegistry models, InferencePipeline pipeline, VariantForcing forcing, ExchangeLog log) {
        this.models = models;
        this.pipeline = pipeline;
        this.forcing = forcing;
        this.log = log;
    }

    /** The rows of infer calls that failed before this handler answered them. */
    EarlyRejections earlyRejections() {
        return new EarlyRejections(models, log);
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
            pipeline.unknownModel(InferenceExchange.REST, 404, startNanos);
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String header = ctx.request().getHeader(UNIT_ID_HEADER);
        InferencePipeline.Call call = new InferencePipeline.Call(requestId, startNanos, arrivalMillis, model, header, body,
                InferenceExchange.REST, model.config().timeout().toNanos(), Callers.keyName(ctx));
        InferencePipeline.Responder responder = new JsonResponder(ctx);
        InferRequestDecoder.DecodedRequest decoded;
        Route route;
        try {
            decoded = decoder.decode(body);
            call = call.withUnitId(header != null && !header.isEmpty() ? header : decoded.unitId());
            route = pipeline.route(call, () -> attributes(ctx, decoded), forcing.forcedVariant(ctx.request()));
        } catch (ApiException e) {
            pipeline.reject(call, e.status(), e.getMessage(), responder);
            return;
        } catch (IllegalArgumentException e) {
            pipeline.reject(call, 400, e.getMessage(), responder);
            return;
        }
        String callerId = decoded.id() != null ? decoded.id() : requestId;
        Optional<CallerJson> asSent = decoded.plain() ? Optional.of(new CallerJson(body, decoded.id() != null)) : Optional.empty();
        pipeline.serve(call, route, new InferenceRequest(callerId, decoded.inputs(), decoded.requestedOutputs(),
                InferenceRequest.NO_DEADLINE, asSent), responder);
    }

    /** The protocol's JSON answer, with the routing facts in headers. */
    private final class JsonResponder implements InferencePipeline.Responder {

        private final RoutingContext ctx;

        JsonResponder(RoutingContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Runnable prepare(InferenceExchange exchange) {
            Buffer json = responseBody(exchange);
            return () -> respond(ctx, exchange, json);
        }

        @Override
        public void cannotAnswer(InferenceExchange exchange, RuntimeException failure) {
            ctx.fail(failure); // the router's 500 handler answers, and logs that instead (EarlyRejections)
        }
    }

    /** The JSON of a successful answer, null for an error (whose body {@link ErrorResponses} writes). */
    private Buffer responseBody(InferenceExchange exchange) {
        if (exchange.status() != 200) {
            return null;
        }
        return encoder.encode(exchange.response(), exchange.model().name(),
                new InferResponseEncoder.Routing(exchange.requestId(), exchange.servedVariant(), exchange.experiment()));
    }

    private static void respond(RoutingContext ctx, InferenceExchange exchange, Buffer json) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.putHeader(VARIANT_HEADER, exchange.servedVariant()).putHeader(EXPERIMENT_HEADER, exchange.experiment());
        if (json == null) {
            ErrorResponses.send(ctx, exchange.status(), exchange.error());
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json);
    }

    /** Targeting rules see the request's headers (lower-cased names) and its scalar body parameters. */
    private static Map<String, String> attributes(RoutingContext ctx, InferRequestDecoder.DecodedRequest decoded) {
        Map<String, String> attributes = new HashMap<>(decoded.parameters());
        ctx.request().headers().forEach(e -> attributes.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return attributes;
    }
}
