package dev.modelgate.gateway.config;

import java.nio.file.Path;

/**
 * A local XGBoost model ({@code .json} or {@code .ubj}).
 *
 * @param output {@code prediction} (the objective's output, e.g. a probability) or {@code margin}
 */
public record XgboostBackendConfig(Path path, int instances, String device, String output) implements BackendConfig {

    public static final String TYPE = "xgboost";

    @Override
    public String type() {
        return TYPE;
    }
}
