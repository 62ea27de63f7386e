package dev.modelgate.gateway.config;

import dev.modelgate.inference.TensorSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A model served by an inference server, reached over HTTP with a keep-alive pool.
 *
 * @param type           kserve (KServe v2 / Triton over HTTP), kserve_grpc (the same protocol over gRPC),
 *                       tfserving, torchserve or http (generic JSON)
 * @param remoteModel    the model's name on the server
 * @param remoteVersion  the version on the server, or empty for its default
 * @param format         tfserving: {@code row} or {@code columnar}; torchserve: {@code rows} or {@code data}
 * @param signature      tfserving: the signature name, or empty for the default
 * @param method         http: the HTTP method
 * @param path           http: the request path
 * @param template       http: the JSON request template, with {@code ${input.NAME}} and {@code ${id}}
 * @param inputs         the inputs, where the protocol cannot tell them (all but kserve and kserve_grpc)
 * @param outputs        the outputs; for http each with the JSON pointer that finds it in the answer
 * @param tls            for an https URL: the CA to trust and the client certificate to present
 */
public record RemoteBackendConfig(
        String type,
        URI url,
        String remoteModel,
        String remoteVersion,
        int maxConnections,
        Duration connectTimeout,
        Duration requestTimeout,
        String format,
        String signature,
        String method,
        String path,
        String template,
        List<TensorSpec> inputs,
        List<Output> outputs,
        ClientTlsConfig tls) implements BackendConfig {

    /** An output tensor and, for the generic HTTP protocol, where the answer holds it. */
    public record Output(TensorSpec spec, String jsonPointer) {}

    public static final List<String> TYPES = List.of("kserve", "kserve_grpc", "tfserving", "torchserve", "http");

    public RemoteBackendConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
