package dev.modelgate.inference.oip;

import com.google.protobuf.Message;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import dev.modelgate.inference.oip.proto.ModelMetadataRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataResponse;
import dev.modelgate.inference.oip.proto.ModelReadyRequest;
import dev.modelgate.inference.oip.proto.ModelReadyResponse;
import dev.modelgate.inference.oip.proto.ServerLiveRequest;
import dev.modelgate.inference.oip.proto.ServerLiveResponse;
import dev.modelgate.inference.oip.proto.ServerMetadataRequest;
import dev.modelgate.inference.oip.proto.ServerMetadataResponse;
import dev.modelgate.inference.oip.proto.ServerReadyRequest;
import dev.modelgate.inference.oip.proto.ServerReadyResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * The methods of {@code inference.GRPCInferenceService}, each with its protobuf codec, for Vert.x's gRPC
 * server and client: the generated messages are used directly, without grpc-java's runtime.
 */
public final class OipService {

    public static final ServiceName NAME = ServiceName.create("inference", "GRPCInferenceService");

    /** One method: its name and message types. */
    public record Method<Req extends Message, Resp extends Message>(String name, Req request, Resp response) {

        /** As Vert.x's server handles it. */
        public ServiceMethod<Req, Resp> server() {
            return ServiceMethod.server(NAME, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(request));
        }

        /** As Vert.x's client calls it. */
        public ServiceMethod<Resp, Req> client() {
            return ServiceMethod.client(NAME, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(response));
        }
    }

    public static final Method<ServerLiveRequest, ServerLiveResponse> SERVER_LIVE = new Method<>("ServerLive",
            ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.getDefaultInstance());
    public static final Method<ServerReadyRequest, ServerReadyResponse> SERVER_READY = new Method<>("ServerReady",
            ServerReadyRequest.getDefaultInstance(), ServerReadyResponse.getDefaultInstance());
    public static final Method<ModelReadyRequest, ModelReadyResponse> MODEL_READY = new Method<>("ModelReady",
            ModelReadyRequest.getDefaultInstance(), ModelReadyResponse.getDefaultInstance());
    public static final Method<ServerMetadataRequest, ServerMetadataResponse> SERVER_METADATA = new Method<>("ServerMetadata",
            ServerMetadataRequest.getDefaultInstance(), ServerMetadataResponse.getDefaultInstance());
    public static final Method<ModelMetadataRequest, ModelMetadataResponse> MODEL_METADATA = new Method<>("ModelMetadata",
            ModelMetadataRequest.getDefaultInstance(), ModelMetadataResponse.getDefaultInstance());
    public static final Method<ModelInferRequest, ModelInferResponse> MODEL_INFER = new Method<>("ModelInfer",
            ModelInferRequest.getDefaultInstance(), ModelInferResponse.getDefaultInstance());

    private OipService() {}
}
