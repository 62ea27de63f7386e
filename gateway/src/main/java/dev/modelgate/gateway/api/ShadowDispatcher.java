package dev.modelgate.gateway.api;

import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.routing.ShadowTarget;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.CallerContext;
import dev.modelgate.inference.InferenceRequest;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Sends shadow copies after the primary response has gone out, within each shadow experiment's
 * budget. A shadow's answer is never returned; it is logged as its own row (role shadow) under the
 * primary's request id, so primary and shadow can be compared pairwise. A slow or failing shadow costs
 * the caller nothing: the primary has already been answered, and over-budget copies are dropped.
 */
final class ShadowDispatcher {

    private final Vertx vertx;
    private final ExchangeLog log;

    ShadowDispatcher(Vertx vertx, ExchangeLog log) {
        this.vertx = vertx;
        this.log = log;
    }

    void dispatch(List<ShadowTarget> targets, ServedModel model, InferenceRequest request, InferenceExchange primary) {
        for (ShadowTarget target : targets) {
            String experiment = target.experiment();
            String variant = target.variant().name();
            if (!target.budget().tryAcquire()) {
                log.experiments().shadow(experiment, variant, "dropped");
                continue;
            }
            log.experiments().shadow(experiment, variant, "sent");
            long start = System.nanoTime();
            long arrival = System.currentTimeMillis();
            long budget = model.config().timeout().toNanos();
            CallerContext.within(vertx, target.variant().backend().infer(request.withDeadline(start + budget)), budget,
                            () -> new TimeoutException("deadline of model '" + model.name() + "' passed"))
                    .onComplete(result -> {
                        target.budget().release();
                        long elapsed = System.nanoTime() - start;
                        int status = result.succeeded() ? 200 : FailureStatus.of(result.cause());
                        if (result.failed()) {
                            log.experiments().shadow(experiment, variant, "failed");
                        }
                        Route route = new Route(experiment, target.variant(), "shadow", List.of());
                        log.record(new InferenceExchange(primary.requestId(), arrival, model, route, variant, "shadow",
                                PredictionEvent.ROLE_SHADOW, primary.unitId(), primary.inputs(), primary.body(),
                                result.result(), status, result.failed() ? FailureStatus.message(result.cause(), model,
                                model.config().timeout().toMillis()) : null, elapsed, elapsed, primary.protocol(), primary.apiKey()));
                    });
        }
    }
}
