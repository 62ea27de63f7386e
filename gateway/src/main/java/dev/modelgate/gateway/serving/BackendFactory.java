package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.RemoteBackendConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.metrics.GatewayMetrics;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.batching.BatchingBackend;
import dev.modelgate.inference.djl.ReloadableBackend;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a variant's backend as configured, inside out: the engine or remote server (a local engine
 * behind a reloadable holder, so its model file can be swapped without failing a request), dynamic
 * batching when configured, the resilience policy (breaker, timeout, bulkhead, retry), then the metrics.
 */
public final class BackendFactory implements BackendLoader {

    private final Vertx vertx;
    private final EngineBackends engines;
    private final ResiliencePolicies policies;
    private final GatewayMetrics metrics;
    private final Map<String, ReloadableBackend> reloadable = new ConcurrentHashMap<>();

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
        Future<? extends InferenceBackend> opened = variant.backend() instanceof RemoteBackendConfig
                ? engines.open(model, variant)
                : ReloadableBackend.load(() -> engines.open(model, variant))
                        .onSuccess(engine -> reloadable.put(policyName(model, variant.name()), engine));
        return opened.map(engine -> {
            InferenceBackend backend = engine;
            if (variant.batching().isPresent()) {
                backend = new BatchingBackend(vertx, backend, variant.batching().get(), metrics.batching(model, variant.name()));
            }
            backend = policies.decorate(policyName(model, variant.name()), backend, variant.resilience());
            return new MeteredBackend(model, variant.name(), backend, metrics);
        });
    }

    /**
     * Reads a local variant's model file again and swaps it in once loaded; in-flight requests finish
     * on the old model. Fails with {@link java.util.NoSuchElementException} for an unknown or remote
     * variant, and with the load's error (the old model keeps serving) when the new file cannot load.
     */
    public Future<Void> reload(String model, String variant) {
        ReloadableBackend backend = reloadable.get(policyName(model, variant));
        if (backend == null) {
            return Future.failedFuture(new java.util.NoSuchElementException(
                    "no local variant '" + variant + "' of model '" + model + "' to reload"));
        }
        return backend.reload();
    }
}
