package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.serving.BackendFactory;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.inference.resilience.BreakerSnapshot;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * {@code GET /admin/backends}: every variant's backend, its readiness and its circuit breaker;
 * {@code POST /admin/models/{model}/variants/{variant}/reload}: read a local variant's model file again
 * and swap it in without failing a request (503 and the old model keeps serving if it cannot load).
 */
public final class BackendAdminRoutes implements AdminRoutes {

    private final ModelRegistry models;
    private final ResiliencePolicies policies;
    private final BackendFactory backends;

    public BackendAdminRoutes(ModelRegistry models, ResiliencePolicies policies, BackendFactory backends) {
        this.models = models;
        this.policies = policies;
        this.backends = backends;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/backends").handler(ctx -> {
            JsonArray backends = new JsonArray();
            for (ServedModel model : models.models()) {
                for (Variant variant : model.variants().values()) {
                    String name = BackendFactory.policyName(model.name(), variant.name());
                    JsonObject backend = new JsonObject()
                            .put("model", model.name())
                            .put("variant", variant.name())
                            .put("type", variant.config().backend().type())
                            .put("ready", variant.backend().isReady())
                            .put("batching", variant.config().batching().isPresent());
                    policies.breaker(name).ifPresent(breaker -> backend.put("circuit_breaker", breaker(breaker)));
                    backends.add(backend);
                }
            }
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("backends", backends).encode());
        });
        router.post("/admin/models/:model/variants/:variant/reload").handler(ctx -> {
            String model = ctx.pathParam("model");
            String variant = ctx.pathParam("variant");
            backends.reload(model, variant).onComplete(ar -> {
                if (ar.succeeded()) {
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("model", model).put("variant", variant).put("reloaded", true).encode());
                } else if (ar.cause() instanceof NoSuchElementException) {
                    ErrorResponses.send(ctx, 404, ar.cause().getMessage());
                } else {
                    ErrorResponses.send(ctx, 503, "reload failed, the previous model keeps serving: " + ar.cause().getMessage());
                }
            });
        });
    }

    private static JsonObject breaker(BreakerSnapshot breaker) {
        return new JsonObject()
                .put("state", breaker.state().name().toLowerCase(Locale.ROOT))
                .put("failure_rate", breaker.failureRate())
                .put("slow_call_rate", breaker.slowCallRate())
                .put("buffered_calls", breaker.bufferedCalls())
                .put("failed_calls", breaker.failedCalls())
                .put("not_permitted_calls", breaker.notPermittedCalls());
    }
}
