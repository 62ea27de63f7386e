package dev.modelgate.inference.remote.grpc;

import dev.modelgate.inference.DataType;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.oip.OipService;
import dev.modelgate.inference.oip.OipTensors;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import dev.modelgate.inference.oip.proto.ModelMetadataRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataResponse;
import dev.modelgate.inference.oip.proto.ModelReadyRequest;
import dev.modelgate.inference.remote.RemoteEndpoint;
import dev.modelgate.inference.remote.AbstractRemoteModel;
import dev.modelgate.inference.remote.RequestedOutputs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * A model on a Triton / KServe (or another ModelGate's) Open Inference Protocol gRPC endpoint: the
 * {@code kserve_grpc} backend. Requests are validated locally against the model's metadata first (a bad
 * request never costs a round trip) and always sent as raw contents, the cheapest encoding to write and for
 * the server to read; answers are read in whichever encoding the server chose. Everything runs on the
 * caller's event loop.
 */
public final class GrpcRemoteBackend extends AbstractRemoteModel<ModelInferRequest> {

    private final GrpcTransport grpc;
    private final String remoteModel;
    private final String remoteVersion;

    private GrpcRemoteBackend(GrpcTransport grpc, String remoteModel, String remoteVersion, ModelMetadata metadata, boolean ready) {
        super(metadata, ready);
        this.grpc = grpc;
        this.remoteModel = remoteModel;
        this.remoteVersion = remoteVersion;
    }

    /**
     * Opens the connection pool and loads the model's metadata. Fails with {@code BACKEND_FAILURE} when the
     * metadata cannot be had; a server that answers but is not ready gives a backend that is not ready yet.
     *
     * @param version the model version to ask for, or empty for the server's choice
     * @param label   the version this gateway reports for the variant
     */
    public static Future<GrpcRemoteBackend> connect(Vertx vertx, RemoteEndpoint endpoint, String model, String version, String label) {
        GrpcTransport grpc = GrpcTransport.create(vertx, endpoint);
        return grpc.call(OipService.MODEL_METADATA, ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build())
                .map(answer -> metadata(answer, label))
                .compose(metadata -> ready(grpc, model, version)
                        .otherwise(false)
                        .map(ready -> new GrpcRemoteBackend(grpc, model, version, metadata, ready)))
                .recover(failure -> {
                    grpc.close();
                    return Future.failedFuture(metadataUnavailable(endpoint.baseUri(), failure));
                });
    }

    @Override
    protected ModelInferRequest encode(InferenceRequest request) {
        ModelInferRequest.Builder message = ModelInferRequest.newBuilder()
                .setModelName(remoteModel).setModelVersion(remoteVersion).setId(request.id());
        for (String output : request.requestedOutputs()) {
            message.addOutputsBuilder().setName(output);
        }
        return OipTensors.addInputs(message, request.inputs(), true).build();
    }

    @Override
    protected Future<InferenceResponse> send(InferenceRequest request, ModelInferRequest message) {
        return grpc.call(OipService.MODEL_INFER, message).compose(answer -> decode(request, answer));
    }

    private Future<InferenceResponse> decode(InferenceRequest request, ModelInferResponse answer) {
        ModelMetadata metadata = metadata();
        try {
            List<Tensor> outputs = OipTensors.outputs(answer);
            return Future.succeededFuture(new InferenceResponse(metadata.name(), metadata.version(), request.id(),
                    RequestedOutputs.select(request, outputs)));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata.name() + "' answered with outputs that cannot be read: " + e.getMessage(), e));
        }
    }

    @Override
    protected Future<Boolean> askReady() {
        return ready(grpc, remoteModel, remoteVersion);
    }

    @Override
    protected void release() {
        grpc.close();
    }

    private static Future<Boolean> ready(GrpcTransport grpc, String model, String version) {
        return grpc.call(OipService.MODEL_READY, ModelReadyRequest.newBuilder().setName(model).setVersion(version).build())
                .map(answer -> answer.getReady());
    }

    private static ModelMetadata metadata(ModelMetadataResponse answer, String version) {
        return new ModelMetadata(answer.getName(), version, answer.getPlatform(), specs(answer.getInputsList()),
                specs(answer.getOutputsList()));
    }

    private static List<TensorSpec> specs(List<ModelMetadataResponse.TensorMetadata> tensors) {
        List<TensorSpec> specs = new ArrayList<>(tensors.size());
        for (ModelMetadataResponse.TensorMetadata tensor : tensors) {
            DataType type = DataType.fromProtocolName(tensor.getDatatype()).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + tensor.getName() + "' has the unknown datatype '" + tensor.getDatatype() + "'"));
            specs.add(new TensorSpec(tensor.getName(), type, tensor.getShapeList().stream().mapToLong(Long::longValue).toArray()));
        }
        return specs;
    }
}
