package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.inference.demo.FraudScoreParameters;
import dev.modelgate.inference.demo.FraudScoreReference;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gateway whose variant is a {@code kserve_grpc} backend: a second ModelGate's gRPC service, the way
 * it would front a Triton or KServe server. REST and gRPC callers of the front gateway get what the
 * model defines, the upstream sees the calls arrive over gRPC, and when the upstream goes away callers
 * get UNAVAILABLE (503 over REST) rather than a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcProxyE2ETest {

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_grpc_proxy");
    private FraudScoreReference reference;
    private GrpcGateway upstream;
    private GrpcGateway front;
    private InferApi rest;
    private GrpcClients grpc;

    @BeforeAll
    void start() throws Exception {
        reference = FraudScoreReference.load(GatewayProcess.REPO.resolve("demo/fraud-score.json"));
        Path upstreamDir = Files.createTempDirectory("modelgate-e2e-grpc-upstream");
        upstream = GrpcGateway.start(TestConfigs.demo(upstreamDir, 200, ""), database, "upstream", upstreamDir);

        Path frontDir = Files.createTempDirectory("modelgate-e2e-grpc-front");
        Path config = frontDir.resolve("gateway.yaml");
        Files.writeString(config, """
                models:
                  fraud-score:
                    timeout_ms: 2000
                    variants:
                      remote:
                        version: "7"
                        backend: {type: kserve_grpc, url: "http://127.0.0.1:%d", model: fraud-score, max_connections: 4}
                        resilience: {retry: {max_attempts: 1}}
                      local:
                        version: "8"
                        backend: {type: onnx, path: "%s", device: cpu}
                experiments:
                  specs:
                    - {name: local-shadow, model: fraud-score, kind: shadow, primary: remote, shadows: [local], sample_rate: 1.0,
                       max_concurrent: 16}
                telemetry:
                  flush_interval_ms: 200
                  spool_dir: "%s"
                """.formatted(upstream.grpcPort, GatewayProcess.REPO.resolve("demo/fraud-score.onnx"),
                frontDir.resolve("spool")));
        front = GrpcGateway.start(config, database, "front", frontDir);
        rest = new InferApi(front.process.base);
        grpc = front.grpc;
    }

    @AfterAll
    void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        clickHouse.dropDatabase(database);
    }

    @Test
    @Order(1)
    void restAndGrpcCallersOfTheFrontGatewayAreServedByTheUpstreamOverGrpc() throws Exception {
        for (FraudScoreParameters.Example example : reference.parameters().examples()) {
            double expected = reference.probability(example.features());
            HttpResponse<String> overRest = rest.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(example.features(), null));
            assertThat(overRest.statusCode()).as(overRest.body()).isEqualTo(200);
            JsonNode body = rest.json(overRest);
            assertThat(body.at("/outputs/0/data/0").asDouble()).as(example.name()).isCloseTo(expected, within(1e-5));
            assertThat(overRest.headers().firstValue("X-Variant")).contains("remote");

            GrpcClients.Answer overGrpc = grpc.infer(GrpcClients.raw(example.features()), GrpcClients.metadata());
            assertThat((double) GrpcClients.firstOutput(overGrpc.response())).isCloseTo(expected, within(1e-5));
            assertThat(overGrpc.response().getModelVersion()).as("the front's variant version").isEqualTo("7");
        }
        String metadata = rest.get("/v2/models/fraud-score").body();
        assertThat(metadata).as("the remote model's metadata, read over gRPC").contains("\"features\"").contains("[-1,12]");

        // the front's calls reached the upstream as gRPC calls, each a row there
        int calls = 2 * reference.parameters().examples().size();
        clickHouse.awaitCount(database + ".predictions WHERE instance_id = 'upstream' AND protocol = 'grpc'", n -> n >= calls,
                Duration.ofSeconds(10));
        clickHouse.awaitCount(database + ".predictions WHERE instance_id = 'front' AND served_variant = 'remote' AND status = 200",
                n -> n >= calls, Duration.ofSeconds(10));

        // a gRPC call's shadow copy is its own row, under the primary's request id and protocol
        GrpcClients.Answer shadowed = grpc.infer(GrpcClients.raw(reference.parameters().examples().get(0).features()), GrpcClients.metadata());
        String requestId = shadowed.headers().get(GrpcClients.REQUEST_ID);
        clickHouse.awaitCount(database + ".predictions WHERE request_id = '" + requestId + "' AND role = 'shadow'"
                + " AND served_variant = 'local' AND protocol = 'grpc' AND status = 200", n -> n == 1, Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void whenTheUpstreamIsGoneCallersGetUnavailableWithTheReason() throws Exception {
        upstream.process.stop();
        float[] features = reference.parameters().examples().get(0).features();

        assertThatThrownBy(() -> grpc.stub().modelInfer(GrpcClients.typed(features, null)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("fraud-score");
                });
        HttpResponse<String> overRest = rest.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(features, null));
        assertThat(overRest.statusCode()).isEqualTo(503);
    }
}
