package dev.modelgate.inference.remote.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.remote.HttpTransport;
import dev.modelgate.inference.remote.JsonBody;
import dev.modelgate.inference.remote.RemoteProtocol;
import dev.modelgate.inference.remote.json.JsonTensorException;
import dev.modelgate.inference.remote.json.NestedTensorReader;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generic HTTP JSON model API, configured by {@link HttpJsonSettings}. Each output is read with a
 * streaming parser filtered to its JSON pointer, so no tree of the answer is ever built.
 */
public final class HttpJsonProtocol implements RemoteProtocol {

    private final HttpJsonSettings settings;
    private final RequestTemplate template;

    public HttpJsonProtocol(HttpJsonSettings settings) {
        this.settings = settings;
        this.template = RequestTemplate.parse(settings.requestTemplate(),
                settings.inputs().stream().map(TensorSpec::name).collect(Collectors.toSet()));
    }

    @Override
    public Future<ModelMetadata> loadMetadata(HttpTransport http) {
        return Future.succeededFuture(settings.metadata());
    }

    @Override
    public Future<Boolean> checkReady(HttpTransport http) {
        if (settings.readinessPath().isEmpty()) {
            return Future.succeededFuture(true);
        }
        return http.get(settings.readinessPath()).map(response -> response.statusCode() == 200);
    }

    @Override
    public HttpMethod inferMethod() {
        return settings.method();
    }

    @Override
    public String inferPath() {
        return settings.path();
    }

    @Override
    public void writeRequest(JsonGenerator json, InferenceRequest request) throws IOException {
        // the template supplies the separators between the values it embeds
        json.setRootValueSeparator(null);
        template.write(json, request);
    }

    @Override
    public List<Tensor> readResponse(JsonBody body) throws IOException {
        List<Tensor> outputs = new ArrayList<>(settings.outputs().size());
        for (OutputMapping mapping : settings.outputs()) {
            outputs.add(read(body, mapping));
        }
        return outputs;
    }

    private static Tensor read(JsonBody body, OutputMapping mapping) throws IOException {
        TensorSpec output = mapping.output();
        try (JsonParser json = new FilteringParserDelegate(body.open(),
                new JsonPointerBasedFilter(mapping.jsonPointer()), TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
            JsonToken first = json.nextToken();
            if (first == null) {
                throw new JsonTensorException("output '" + output.name() + "': the answer has no value at '"
                        + mapping.jsonPointer() + "'");
            }
            return new NestedTensorReader(output.datatype()).readValue(json).toTensor(output.name());
        }
    }
}
