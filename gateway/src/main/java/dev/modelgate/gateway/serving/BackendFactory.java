package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.batching.BatchingBackend;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Builds a variant's backend as configured, inside out: the engine or remote server, dynamic batching
 * when configured, the resilience policy (breaker, timeout, bulkhead, retry), then the metrics.
 */
public final class BackendFactory implements BackendLoader {

    private final Vertx vertx;
    private final EngineBackends engines;
    private final ResiliencePolicies policies;
    private final GatewayMetrics metrics;

    public BackendFactory(Vertx vertx, ResiliencePolicies policies, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.engines = new EngineBackends(vertx);
        this.policies = policies;
        this.metrics = metrics;
    }

    /** Breakers are named {@code model/variant}, as {@code /admin/backends} and the metrics show them. */
    public static String policyName(String model, String variant) {
        return model + "/" + variant;
    }

    @Override
    public Future<InferenceBackend> load(String model, VariantConfig variant) {
        return engines.open(model, variant).map(engine -> {
            InferenceBackend backend = engine;
            if (variant.batching().isPresent()) {
                backend = new BatchingBackend(vertx, backend, variant.batching().get(), metrics.batching(model, variant.name()));
            }
            backend = policies.decorate(policyName(model, variant.name()), backend, variant.resilience());
            return new MeteredBackend(model, variant.name(), backend, metrics);
        });
    }
}
