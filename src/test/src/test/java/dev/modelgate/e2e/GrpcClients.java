package dev.modelgate.e2e;

import dev.modelgate.inference.oip.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.inference.oip.proto.InferParameter;
import dev.modelgate.inference.oip.proto.InferTensorContents;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * grpc-java, the reference gRPC client, calling a gateway through stubs generated from the protocol's
 * .proto at build time: what a Triton or KServe Java client does. Requests are built by hand here, as
 * such a client builds them, never with the gateway's own codec.
 */
final class GrpcClients implements AutoCloseable {

    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> VARIANT = Metadata.Key.of("x-variant", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> EXPERIMENT = Metadata.Key.of("x-experiment", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> UNIT_ID = Metadata.Key.of("x-unit-id", Metadata.ASCII_STRING_MARSHALLER);

    final ManagedChannel channel;

    GrpcClients(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(16 << 20).build();
    }

    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** One response and the headers it came with (sent before the message, or with the status on an error). */
    record Answer(ModelInferResponse response, Metadata headers) {}

    /** Infers with {@code metadata} sent as call metadata; the response headers are captured. */
    Answer infer(ModelInferRequest request, Metadata metadata) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        ModelInferResponse response = stub()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .modelInfer(request);
        return new Answer(response, headers.get());
    }

    /** The demo model's request with typed contents: one FP32 row of 12 features. */
    static ModelInferRequest typed(float[] features, String unitIdParameter) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float f : features) {
            contents.addFp32Contents(f);
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("fraud-score")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
                        .addShape(1).addShape(features.length).setContents(contents));
        if (unitIdParameter != null) {
            request.putParameters("unit_id", InferParameter.newBuilder().setStringParam(unitIdParameter).build());
        }
        return request.build();
    }

    /** The same request with raw contents: the features as little-endian float32 bytes, as Triton's clients send them. */
    static ModelInferRequest raw(float[] features) {
        ByteBuffer bytes = ByteBuffer.allocate(features.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : features) {
            bytes.putFloat(f);
        }
        return ModelInferRequest.newBuilder().setModelName("fraud-score")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
                        .addShape(1).addShape(features.length))
                .addRawInputContents(com.google.protobuf.ByteString.copyFrom(bytes.array()))
                .build();
    }

    /** The first output's first element, read from raw contents when the response has them. */
    static float firstOutput(ModelInferResponse response) {
        if (response.getRawOutputContentsCount() > 0) {
            return response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
        }
        return response.getOutputs(0).getContents().getFp32Contents(0);
    }

    static Metadata metadata(String... keysAndValues) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            metadata.put(Metadata.Key.of(keysAndValues[i], Metadata.ASCII_STRING_MARSHALLER), keysAndValues[i + 1]);
        }
        return metadata;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
