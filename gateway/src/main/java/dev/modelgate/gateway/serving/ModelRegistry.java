package dev.modelgate.gateway.serving;

import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.djl.DeviceUnavailableException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the gateway serves, loaded at start. Immutable once loaded; a remote variant whose server
 * is down at start is loaded all the same, not ready, and becomes ready when its server does.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, ServedModel> models;

    private ModelRegistry(Map<String, ServedModel> models) {
        this.models = Map.copyOf(models);
    }

    /**
     * Loads every variant of every model in parallel. If any fails (a local model file that cannot load),
     * those that loaded are closed and the returned future fails with a message naming the model and variant.
     */
    public static Future<ModelRegistry> load(Collection<ModelConfig> configs, BackendLoader loader,
                                             Map<String, List<Tensor>> staticDefaults) {
        List<Future<Variant>> loading = new ArrayList<>();
        for (ModelConfig model : configs) {
            for (VariantConfig variant : model.variants().values()) {
                loading.add(loader.load(model.name(), variant)
                        .recover(e -> Future.failedFuture(loadFailure(model.name(), variant.name(), e)))
                        .map(backend -> new Variant(variant, backend)));
            }
        }
        return Future.join(loading).transform(ar -> {
            if (ar.failed()) {
                loading.stream().filter(Future::succeeded).forEach(f -> f.result().backend().close());
                return Future.failedFuture(ar.cause());
            }
            Map<String, ServedModel> models = new LinkedHashMap<>();
            int i = 0;
            for (ModelConfig model : configs) {
                Map<String, Variant> variants = new LinkedHashMap<>();
                for (int v = 0; v < model.variants().size(); v++) {
                    Variant variant = loading.get(i++).result();
                    variants.put(variant.name(), variant);
                }
                models.put(model.name(), new ServedModel(model, variants, staticDefaults.getOrDefault(model.name(), List.of())));
                LOG.info("model '{}' loaded with variants {}", model.name(), variants.keySet());
            }
            return Future.succeededFuture(new ModelRegistry(models));
        });
    }

    /** A device the host does not have is a configuration error, reported against its key like the others. */
    private static RuntimeException loadFailure(String model, String variant, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeviceUnavailableException device) {
                return new ConfigException(ConfigException.variantKey(model, variant, "backend.device") + ": " + device.getMessage());
            }
        }
        return new IllegalStateException("model '" + model + "' variant '" + variant + "': " + failure.getMessage(), failure);
    }

    public Optional<ServedModel> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ServedModel> models() {
        return models.values();
    }

    /** Every model can answer from a real variant (see {@link ServedModel#isReady()}). */
    public boolean isReady() {
        return models.values().stream().allMatch(ServedModel::isReady);
    }

    /** {@code model/variant} of every variant that cannot serve now. */
    public List<String> unavailableVariants() {
        List<String> unavailable = new ArrayList<>();
        models.values().forEach(model -> model.unavailableVariants().forEach(variant -> unavailable.add(model.name() + "/" + variant)));
        return unavailable;
    }

    @Override
    public void close() {
        models.values().forEach(m -> m.variants().values().forEach(v -> v.backend().close()));
    }
}
