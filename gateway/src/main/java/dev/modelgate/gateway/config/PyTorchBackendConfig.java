package dev.modelgate.gateway.config;

import dev.modelgate.inference.TensorSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A local TorchScript model ({@code .pt}). TorchScript carries no typed signature, so the inputs are
 * declared here; output names are optional ({@code output__N} otherwise).
 */
public record PyTorchBackendConfig(Path path, int instances, String device, List<TensorSpec> inputs, List<String> outputs)
        implements BackendConfig {

    public static final String TYPE = "pytorch";

    public PyTorchBackendConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
