package dev.modelgate.inference.remote.kserve;

import dev.modelgate.inference.remote.PathSegment;

/**
 * A model on a KServe v2 / Triton server (Open Inference Protocol over HTTP/JSON).
 *
 * @param modelName the model's name on the server
 * @param version   the version to pin, or "" for the server's default
 */
public record KServeV2Settings(String modelName, String version) {

    public KServeV2Settings {
        PathSegment.require("modelName", modelName);
        version = PathSegment.optional("version", version);
    }

    /** {@code /v2/models/{m}[/versions/{v}]}: the prefix of every path of this model. */
    String modelPath() {
        return "/v2/models/" + modelName + (version.isEmpty() ? "" : "/versions/" + version);
    }
}
