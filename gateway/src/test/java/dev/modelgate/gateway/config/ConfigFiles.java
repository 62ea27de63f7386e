package dev.modelgate.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A folder holding a stand-in model file, where a test writes a configuration and loads it as the gateway does. */
final class ConfigFiles {

    /** The smallest {@code models:} section, for tests about the other sections. */
    static final String MODELS = """
            models:
              fraud:
                variants:
                  v1:
                    backend: {type: onnx, path: model.onnx}
            """;

    private final Path dir;

    ConfigFiles(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("model.onnx"), "the loader only checks the file exists");
    }

    GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(env).load(file);
    }
}
