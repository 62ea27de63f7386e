package dev.modelgate.inference.remote.torchserve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.HttpTransport;
import dev.modelgate.inference.remote.JsonBody;
import dev.modelgate.inference.remote.RemoteProtocol;
import dev.modelgate.inference.remote.json.NestedTensorReader;
import dev.modelgate.inference.remote.json.TensorJsonWriter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.util.List;

/**
 * TorchServe's {@code POST /predictions/{m}[/{v}]}: the one input as nested lists (bare or under
 * {@code "data"}), the answer a JSON list or number read as the one output. Readiness is
 * TorchServe's {@code GET /ping}.
 */
public final class TorchServeProtocol implements RemoteProtocol {

    private final TorchServeSettings settings;
    private final String inferPath;

    public TorchServeProtocol(TorchServeSettings settings) {
        this.settings = settings;
        this.inferPath = settings.predictionsPath();
    }

    @Override
    public Future<ModelMetadata> loadMetadata(HttpTransport http) {
        return Future.succeededFuture(settings.metadata());
    }

    @Override
    public Future<Boolean> checkReady(HttpTransport http) {
        return http.get("/ping").map(response -> response.statusCode() == 200);
    }

    @Override
    public HttpMethod inferMethod() {
        return HttpMethod.POST;
    }

    @Override
    public String inferPath() {
        return inferPath;
    }

    @Override
    public void writeRequest(JsonGenerator json, InferenceRequest request) throws IOException {
        // the validator has checked that the request holds exactly the one declared input
        Tensor input = request.inputs().get(0);
        if (settings.body() == TorchServeSettings.Body.DATA) {
            json.writeStartObject();
            json.writeFieldName("data");
            TensorJsonWriter.writeNested(json, input);
            json.writeEndObject();
        } else {
            TensorJsonWriter.writeNested(json, input);
        }
    }

    @Override
    public List<Tensor> readResponse(JsonBody body) throws IOException {
        try (JsonParser json = body.open()) {
            json.nextToken();
            return List.of(new NestedTensorReader(settings.output().datatype()).readValue(json)
                    .toTensor(settings.output().name()));
        }
    }
}
