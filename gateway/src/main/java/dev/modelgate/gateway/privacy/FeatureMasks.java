package dev.modelgate.gateway.privacy;

import dev.modelgate.gateway.config.FeatureLogging;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.PrivacyConfig;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Every model's {@link FeatureMask}, built once from the configuration; models without rules have none. */
public final class FeatureMasks {

    public static final FeatureMasks NONE = new FeatureMasks(Map.of());

    private final Map<String, FeatureMask> byModel;

    private FeatureMasks(Map<String, FeatureMask> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    public static FeatureMasks of(Collection<ModelConfig> models, PrivacyConfig privacy) {
        KeyedHash hash = privacy.hashSalt().isEmpty() ? null : new KeyedHash(privacy.hashSalt());
        Map<String, FeatureMask> masks = new HashMap<>();
        for (ModelConfig model : models) {
            Map<String, FeatureLogging> rules = new HashMap<>(model.featureLogging());
            rules.values().removeIf(rule -> rule == FeatureLogging.KEEP);
            if (!rules.isEmpty()) {
                masks.put(model.name(), new FeatureMask(rules, hash));
            }
        }
        return new FeatureMasks(masks);
    }

    /** The model's mask, or empty when all its features are logged as sent. */
    public Optional<FeatureMask> forModel(String model) {
        return Optional.ofNullable(byModel.get(model));
    }
}
