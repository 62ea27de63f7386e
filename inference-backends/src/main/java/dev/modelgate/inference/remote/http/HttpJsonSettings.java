package dev.modelgate.inference.remote.http;

import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import io.vertx.core.http.HttpMethod;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A model behind any HTTP JSON API: the request body is a template filled with the inputs, the
 * outputs are found in the answer by JSON pointer.
 *
 * @param modelName       the name the gateway serves the model under
 * @param version         a version label (may be empty)
 * @param method          the HTTP method of an inference (usually POST)
 * @param path            the inference path relative to the endpoint's base URI, e.g. {@code /score?v=2}
 * @param requestTemplate the body, see {@link RequestTemplate}; blank sends an empty body
 * @param inputs          the inputs the template may use (validated before every call)
 * @param outputs         where each output is in the answer
 * @param readinessPath   a path that answers 200 when the model is ready, or "" to treat it as always ready
 */
public record HttpJsonSettings(String modelName, String version, HttpMethod method, String path, String requestTemplate,
                               List<TensorSpec> inputs, List<OutputMapping> outputs, String readinessPath) {

    public HttpJsonSettings {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        version = version == null ? "" : version;
        Objects.requireNonNull(method, "method");
        requirePath("path", path);
        requestTemplate = requestTemplate == null ? "" : requestTemplate;
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must map at least one tensor");
        }
        Set<String> names = new HashSet<>();
        for (OutputMapping mapping : outputs) {
            if (!names.add(mapping.output().name())) {
                throw new IllegalArgumentException("outputs: '" + mapping.output().name() + "' is mapped twice");
            }
        }
        readinessPath = readinessPath == null ? "" : readinessPath;
        if (!readinessPath.isEmpty()) {
            requirePath("readinessPath", readinessPath);
        }
    }

    ModelMetadata metadata() {
        return new ModelMetadata(modelName, version, "http_json", inputs,
                outputs.stream().map(OutputMapping::output).toList());
    }

    private static void requirePath(String field, String value) {
        if (value == null || !value.startsWith("/")) {
            throw new IllegalArgumentException(field + " must start with '/', got " + value);
        }
    }
}
