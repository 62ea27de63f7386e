package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.oip.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.inference.oip.proto.InferTensorContents;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelInferResponse;
import dev.modelgate.inference.oip.proto.ModelMetadataRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataResponse;
import dev.modelgate.inference.oip.proto.ModelReadyRequest;
import dev.modelgate.inference.oip.proto.ModelReadyResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deadlines over gRPC, against a slow Open Inference Protocol server that is not ModelGate: grpc-java's
 * own server, answering with typed contents after the delay each request's id asks for, behind a
 * {@code kserve_grpc} variant. The gateway gives a call the model's deadline or the caller's
 * {@code grpc-timeout}, whichever is shorter, and answers DEADLINE_EXCEEDED when it passes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcDeadlineE2ETest {

    private static final int MODEL_TIMEOUT_MS = 600;

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_grpc_deadline");
    private Server slowServer;
    private GrpcGateway gateway;
    private GrpcClients grpc;

    @BeforeAll
    void start() throws Exception {
        slowServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new SlowModel()).build().start();
        Path dir = Files.createTempDirectory("modelgate-e2e-grpc-deadline");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                models:
                  slow:
                    timeout_ms: %d
                    variants:
                      v1:
                        backend: {type: kserve_grpc, url: "http://127.0.0.1:%d", model: slow, request_timeout_ms: 5000}
                        resilience: {retry: {max_attempts: 1}}
                telemetry:
                  flush_interval_ms: 200
                  spool_dir: "%s"
                """.formatted(MODEL_TIMEOUT_MS, slowServer.getPort(), dir.resolve("spool")));
        gateway = GrpcGateway.start(config, database, "e2e-grpc-deadline", dir);
        grpc = gateway.grpc;
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (slowServer != null) {
            slowServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        clickHouse.dropDatabase(database);
    }

    @Test
    void aFastEnoughAnswerFromAnotherOipServerIsServedFromItsTypedContents() {
        GrpcClients.Answer answer = grpc.infer(request("sleep-0"), GrpcClients.metadata());
        assertThat(GrpcClients.firstOutput(answer.response())).isEqualTo(0.5f);
    }

    @Test
    void theModelsDeadlineEndsACallWhoseCallerAllowsMore() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> grpc.stub().withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request("sleep-3000")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("model 'slow' did not answer within " + MODEL_TIMEOUT_MS + " ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void aShorterGrpcTimeoutIsTheCallsDeadlineOnTheGateway() throws Exception {
        assertThatThrownBy(() -> grpc.stub().withDeadlineAfter(250, TimeUnit.MILLISECONDS).modelInfer(request("sleep-3000")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        // the caller's own deadline fired too; the row says the gateway gave up at the caller's deadline, not the model's
        String where = database + ".predictions WHERE status = 504 AND error NOT LIKE '%within " + MODEL_TIMEOUT_MS + " ms'";
        clickHouse.awaitCount(where, n -> n == 1, Duration.ofSeconds(10));
        JsonNode row = clickHouse.rows("SELECT error, latency_ms, protocol FROM " + where).get(0);
        assertThat(row.get("error").asText()).matches("model 'slow' did not answer within 2[0-5][0-9] ms");
        assertThat(row.get("latency_ms").asDouble()).isLessThan(MODEL_TIMEOUT_MS);
        assertThat(row.get("protocol").asText()).isEqualTo("grpc");
    }

    private static ModelInferRequest request(String id) {
        return GrpcClients.typed(new float[12], null).toBuilder().setModelName("slow").setId(id).build();
    }

    /** An OIP server with one model that answers 0.5 after the delay in the request's id ({@code sleep-MILLIS}). */
    private static final class SlowModel extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

        @Override
        public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
            answer.onNext(ModelMetadataResponse.newBuilder().setName("slow").setPlatform("grpc-java")
                    .addInputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("features").setDatatype("FP32").addShape(-1).addShape(12))
                    .addOutputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("score").setDatatype("FP32").addShape(-1).addShape(1))
                    .build());
            answer.onCompleted();
        }

        @Override
        public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
            answer.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
            answer.onCompleted();
        }

        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
            try {
                Thread.sleep(Long.parseLong(request.getId().substring("sleep-".length())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.onNext(ModelInferResponse.newBuilder().setModelName("slow").setId(request.getId())
                    .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("score").setDatatype("FP32").addShape(1).addShape(1)
                            .setContents(InferTensorContents.newBuilder().addFp32Contents(0.5f)))
                    .build());
            answer.onCompleted();
        }
    }
}
