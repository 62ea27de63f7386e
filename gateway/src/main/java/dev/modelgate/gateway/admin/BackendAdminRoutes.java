package dev.modelgate.gateway.admin;

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

/** {@code GET /admin/backends}: every variant's backend, its readiness and its circuit breaker. */
public final class BackendAdminRoutes implements AdminRoutes {

    private final ModelRegistry models;
    private final ResiliencePolicies policies;

    public BackendAdminRoutes(ModelRegistry models, ResiliencePolicies policies) {
        this.models = models;
        this.policies = policies;
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
