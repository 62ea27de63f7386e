package dev.modelgate.gateway.api.grpc;

import dev.modelgate.gateway.api.MetadataHandlers;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.TensorSpec;
import dev.modelgate.inference.oip.OipService;
import dev.modelgate.inference.oip.proto.ModelMetadataRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataResponse;
import dev.modelgate.inference.oip.proto.ModelReadyRequest;
import dev.modelgate.inference.oip.proto.ModelReadyResponse;
import dev.modelgate.inference.oip.proto.ServerLiveResponse;
import dev.modelgate.inference.oip.proto.ServerMetadataResponse;
import dev.modelgate.inference.oip.proto.ServerReadyResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;

/**
 * The protocol's health and metadata calls, answering what the REST endpoints answer: ServerLive,
 * ServerReady (the same readiness as {@code /v2/health/ready}), ModelReady, ServerMetadata and
 * ModelMetadata (read from the default or first ready variant's model).
 */
final class GrpcHealth {

    private final ModelRegistry models;
    private final MetadataHandlers metadata;

    GrpcHealth(ModelRegistry models, MetadataHandlers metadata) {
        this.models = models;
        this.metadata = metadata;
    }

    void mount(GrpcServer server) {
        server.callHandler(OipService.SERVER_LIVE.server(), call -> call.last()
                .onSuccess(request -> call.response().send(ServerLiveResponse.newBuilder().setLive(true).build())));
        server.callHandler(OipService.SERVER_READY.server(), call -> call.last()
                .onSuccess(request -> call.response().send(ServerReadyResponse.newBuilder().setReady(metadata.isReady()).build())));
        server.callHandler(OipService.SERVER_METADATA.server(), call -> call.last()
                .onSuccess(request -> call.response().send(ServerMetadataResponse.newBuilder()
                        .setName("modelgate").setVersion(metadata.version()).build())));
        server.callHandler(OipService.MODEL_READY.server(), call -> call.last().onSuccess(request -> modelReady(call, request)));
        server.callHandler(OipService.MODEL_METADATA.server(), call -> call.last().onSuccess(request -> modelMetadata(call, request)));
    }

    private void modelReady(GrpcServerRequest<ModelReadyRequest, ModelReadyResponse> call, ModelReadyRequest request) {
        ServedModel model = find(call, request.getName());
        if (model != null) {
            call.response().send(ModelReadyResponse.newBuilder().setReady(model.isReady()).build());
        }
    }

    private void modelMetadata(GrpcServerRequest<ModelMetadataRequest, ModelMetadataResponse> call, ModelMetadataRequest request) {
        ServedModel model = find(call, request.getName());
        if (model == null) {
            return;
        }
        if (model.readyVariant().isEmpty()) {
            call.response().status(GrpcStatus.UNAVAILABLE)
                    .statusMessage("model '" + model.name() + "' has no ready variant: " + model.unavailableVariants()).end();
            return;
        }
        ModelMetadata served = model.readyVariant().get().backend().metadata();
        ModelMetadataResponse.Builder answer = ModelMetadataResponse.newBuilder()
                .setName(model.name()).addAllVersions(model.versions()).setPlatform(served.platform());
        specs(served.inputs()).forEach(answer::addInputs);
        specs(served.outputs()).forEach(answer::addOutputs);
        call.response().send(answer.build());
    }

    private ServedModel find(GrpcServerRequest<?, ?> call, String name) {
        ServedModel model = models.find(name).orElse(null);
        if (model == null) {
            call.response().status(GrpcStatus.NOT_FOUND).statusMessage("model '" + name + "' not found").end();
        }
        return model;
    }

    private static List<ModelMetadataResponse.TensorMetadata> specs(List<TensorSpec> specs) {
        return specs.stream().map(spec -> {
            ModelMetadataResponse.TensorMetadata.Builder tensor = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(spec.name()).setDatatype(spec.datatype().protocolName());
            for (long dim : spec.shape()) {
                tensor.addShape(dim);
            }
            return tensor.build();
        }).toList();
    }
}
