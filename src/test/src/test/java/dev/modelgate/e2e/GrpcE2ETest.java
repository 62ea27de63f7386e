package dev.modelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.modelgate.inference.demo.FraudScoreParameters;
import dev.modelgate.inference.demo.FraudScoreReference;
import dev.modelgate.inference.oip.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.inference.oip.proto.ModelInferRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataRequest;
import dev.modelgate.inference.oip.proto.ModelMetadataResponse;
import dev.modelgate.inference.oip.proto.ModelReadyRequest;
import dev.modelgate.inference.oip.proto.ServerLiveRequest;
import dev.modelgate.inference.oip.proto.ServerMetadataRequest;
import dev.modelgate.inference.oip.proto.ServerReadyRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Open Inference Protocol's gRPC service of the assembled jar, called by clients the project did not
 * write: grpc-java through stubs generated from the .proto, and Python's grpcio through stubs its own
 * protoc generates at test time. Both encodings answer what the model defines, the experiment assigns
 * the same variant over gRPC as over REST, errors carry the status code and a message that names the
 * problem, and every call is a row in ClickHouse marked {@code protocol = 'grpc'}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcE2ETest {

    private static final int MAX_MESSAGE_BYTES = 65_536;

    private final ClickHouse clickHouse = new ClickHouse();
    private final String database = ClickHouse.uniqueDatabase("e2e_grpc");
    private FraudScoreReference reference;
    private GrpcGateway gateway;
    private InferApi rest;
    private GrpcClients grpc;
    private Path workDir;

    @BeforeAll
    void start() throws Exception {
        reference = FraudScoreReference.load(GatewayProcess.REPO.resolve("demo/fraud-score.json"));
        workDir = Files.createTempDirectory("modelgate-e2e-grpc");
        Path config = TestConfigs.twoVariants(workDir, "gateway.yaml", """
                server:
                  admin_token: grpc-secret
                  grpc_max_message_bytes: %d
                telemetry:
                  flush_interval_ms: 200
                  spool_dir: "%s"
                experiments:
                  specs:
                    - name: grpc-ab
                      model: fraud-score
                      kind: ab
                      variants: [{name: v1, weight: 50}, {name: v2, weight: 50}]
                """.formatted(MAX_MESSAGE_BYTES, workDir.resolve("spool")));
        gateway = GrpcGateway.start(config, database, "e2e-grpc", workDir);
        rest = new InferApi(gateway.process.base);
        grpc = gateway.grpc;
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        clickHouse.dropDatabase(database);
    }

    @Test
    void typedAndRawContentsGetTheModelsProbabilityInTheEncodingTheCallerUsed() throws Exception {
        for (FraudScoreParameters.Example example : reference.parameters().examples()) {
            double expected = reference.probability(example.features());

            GrpcClients.Answer typed = grpc.infer(GrpcClients.typed(example.features(), null).toBuilder().setId(example.name()).build(),
                    GrpcClients.metadata("x-unit-id", "user-" + example.name()));
            assertThat(typed.response().getRawOutputContentsCount()).as("typed in, typed out").isZero();
            assertThat(typed.response().getOutputs(0).getName()).isEqualTo("fraud_probability");
            assertThat(typed.response().getOutputs(0).getShapeList()).containsExactly(1L, 1L);
            assertThat((double) GrpcClients.firstOutput(typed.response())).as(example.name()).isCloseTo(expected, within(1e-5));
            assertThat(typed.response().getId()).isEqualTo(example.name());
            assertThat(typed.response().getModelName()).isEqualTo("fraud-score");

            String requestId = typed.headers().get(GrpcClients.REQUEST_ID);
            assertThat(requestId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(typed.headers().get(GrpcClients.VARIANT)).isIn("v1", "v2");
            assertThat(typed.headers().get(GrpcClients.EXPERIMENT)).isEqualTo("grpc-ab");
            assertThat(typed.response().getParametersMap().get("request_id").getStringParam()).isEqualTo(requestId);

            GrpcClients.Answer raw = grpc.infer(GrpcClients.raw(example.features()), GrpcClients.metadata("x-unit-id", "user-" + example.name()));
            assertThat(raw.response().getRawOutputContentsCount()).as("raw in, raw out").isEqualTo(1);
            assertThat(raw.response().getOutputs(0).hasContents()).isFalse();
            assertThat(raw.response().getRawOutputContents(0).size()).isEqualTo(4);
            assertThat((double) GrpcClients.firstOutput(raw.response())).isCloseTo(expected, within(1e-5));
            assertThat(raw.headers().get(GrpcClients.VARIANT)).as("same unit, same variant").isEqualTo(typed.headers().get(GrpcClients.VARIANT));
        }
    }

    @Test
    void everyCallIsARowMarkedGrpcWithItsFeaturesAndTheRequestMetricCarriesTheProtocol() throws Exception {
        float[] features = reference.parameters().examples().get(0).features();
        GrpcClients.Answer answer = grpc.infer(GrpcClients.raw(features), GrpcClients.metadata("x-unit-id", "logged-unit"));
        String requestId = answer.headers().get(GrpcClients.REQUEST_ID);

        String where = database + ".predictions WHERE request_id = '" + requestId + "'";
        clickHouse.awaitCount(where, n -> n == 1, Duration.ofSeconds(10));
        JsonNode row = clickHouse.rows("SELECT protocol, unit_id, status, served_variant, experiment, length(feature_values) AS n,"
                + " feature_values[1] AS first FROM " + where).get(0);
        assertThat(row.get("protocol").asText()).isEqualTo("grpc");
        assertThat(row.get("unit_id").asText()).isEqualTo("logged-unit");
        assertThat(row.get("status").asInt()).isEqualTo(200);
        assertThat(row.get("served_variant").asText()).isEqualTo(answer.headers().get(GrpcClients.VARIANT));
        assertThat(row.get("experiment").asText()).isEqualTo("grpc-ab");
        assertThat(row.get("n").asInt()).isEqualTo(features.length);
        assertThat(row.get("first").asDouble()).isCloseTo(features[0], within(1e-6));

        HttpResponse<String> restCall = rest.post("/v2/models/fraud-score/infer", InferApi.fraudRequest(features, "rest-unit"));
        String restId = restCall.headers().firstValue("X-Request-Id").orElseThrow();
        clickHouse.awaitCount(database + ".predictions WHERE request_id = '" + restId + "' AND protocol = 'rest'", n -> n == 1,
                Duration.ofSeconds(10));

        // outcomes of gRPC calls are posted by the request id they were answered with, as for REST
        HttpResponse<String> feedback = rest.post("/v1/feedback",
                "{\"request_id\": \"" + requestId + "\", \"metric\": \"converted\", \"value\": 1}");
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(202);
        clickHouse.awaitCount(database + ".feedback WHERE request_id = '" + requestId + "' AND metric = 'converted'", n -> n == 1,
                Duration.ofSeconds(10));

        String metrics = rest.get("/metrics").body();
        assertThat(metrics).containsPattern("modelgate_requests_seconds_count\\{[^}]*protocol=\"grpc\"[^}]*status=\"200\"");
        assertThat(metrics).containsPattern("modelgate_requests_seconds_count\\{[^}]*protocol=\"rest\"");
    }

    @Test
    void healthAndMetadataAnswerAsTheRestEndpointsDo() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = grpc.stub();
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("fraud-score").build()).getReady()).isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("modelgate");

        ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("fraud-score").build());
        assertThat(metadata.getVersionsList()).containsExactly("1", "2");
        assertThat(metadata.getPlatform()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.getInputs(0).getName()).isEqualTo("features");
        assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 12L);

        assertStatus(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()), Status.Code.NOT_FOUND, "'nope' not found");
    }

    @Test
    void errorsCarryTheirStatusCodeAndAMessageNamingTheProblem() throws Exception {
        float[] features = reference.parameters().examples().get(0).features();
        assertStatus(() -> grpc.stub().modelInfer(GrpcClients.typed(features, null).toBuilder().setModelName("nope").build()),
                Status.Code.NOT_FOUND, "model 'nope' not found");

        ModelInferRequest shortRaw = GrpcClients.raw(features).toBuilder()
                .setRawInputContents(0, ByteString.copyFrom(new byte[40])).build();
        assertStatus(() -> grpc.stub().modelInfer(shortRaw), Status.Code.INVALID_ARGUMENT,
                "input 'features': raw contents hold 40 bytes, 12 FP32 elements need 48");

        ModelInferRequest unknownType = GrpcClients.typed(features, null).toBuilder()
                .setInputs(0, GrpcClients.typed(features, null).getInputs(0).toBuilder().setDatatype("FP128")).build();
        assertStatus(() -> grpc.stub().modelInfer(unknownType), Status.Code.INVALID_ARGUMENT, "input 'features': unknown datatype 'FP128'");

        float[] eleven = Arrays.copyOf(features, 11);
        assertStatus(() -> grpc.stub().modelInfer(GrpcClients.typed(eleven, null)), Status.Code.INVALID_ARGUMENT, "features");

        ModelInferRequest both = GrpcClients.typed(features, null).toBuilder().addRawInputContents(GrpcClients.raw(features).getRawInputContents(0)).build();
        assertStatus(() -> grpc.stub().modelInfer(both), Status.Code.INVALID_ARGUMENT, "both contents and raw contents");

        ModelInferRequest huge = GrpcClients.raw(features).toBuilder()
                .setRawInputContents(0, ByteString.copyFrom(new byte[MAX_MESSAGE_BYTES + 1])).build();
        assertStatus(() -> grpc.stub().modelInfer(huge), Status.Code.RESOURCE_EXHAUSTED, "server.grpc_max_message_bytes");
        assertThat(rest.get("/metrics").body()).as("counted, under no model: there is none to log it under")
                .containsPattern("modelgate_requests_seconds_count\\{[^}]*model=\"_unknown\"[^}]*protocol=\"grpc\"[^}]*status=\"413\"");

        assertStatus(() -> grpc.stub().withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(
                        GrpcClients.metadata("x-force-variant", "v2"))).modelInfer(GrpcClients.typed(features, null)),
                Status.Code.PERMISSION_DENIED, "admin token");
        GrpcClients.Answer forced = grpc.infer(GrpcClients.typed(features, null),
                GrpcClients.metadata("x-force-variant", "v2", "authorization", "Bearer grpc-secret"));
        assertThat(forced.headers().get(GrpcClients.VARIANT)).isEqualTo("v2");
    }

    @Test
    void theAbSplitAssignsEachUnitTheVariantRestAssignsIt() throws Exception {
        float[] features = reference.parameters().examples().get(0).features();
        Map<String, Integer> counts = new HashMap<>();
        for (int unit = 0; unit < 200; unit++) {
            String id = "ab-unit-" + unit;
            HttpResponse<String> overRest = rest.send(HttpRequest.newBuilder(rest.uri("/v2/models/fraud-score/infer"))
                    .header("X-Unit-Id", id).POST(HttpRequest.BodyPublishers.ofString(InferApi.fraudRequest(features, null))));
            String restVariant = overRest.headers().firstValue("X-Variant").orElseThrow();
            String byMetadata = grpc.infer(GrpcClients.raw(features), GrpcClients.metadata("x-unit-id", id)).headers().get(GrpcClients.VARIANT);
            String byParameter = grpc.infer(GrpcClients.typed(features, id), new Metadata()).headers().get(GrpcClients.VARIANT);
            assertThat(byMetadata).as(id + " by metadata").isEqualTo(restVariant);
            assertThat(byParameter).as(id + " by parameter").isEqualTo(restVariant);
            counts.merge(restVariant, 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
    }

    @Test
    void pythonsGrpcioWithStubsGeneratedAtTestTimeInfersInBothEncodings() throws Exception {
        FraudScoreParameters.Example example = reference.parameters().examples().get(0);
        double expected = reference.probability(example.features());
        Path out = GatewayProcess.REPO.resolve("src/test/target/python-oip");
        List<Float> features = new java.util.ArrayList<>();
        for (float f : example.features()) {
            features.add(f);
        }
        Process python = new ProcessBuilder("/usr/bin/python3", GatewayProcess.REPO.resolve("src/test/python/oip_grpc_client.py").toString(),
                GatewayProcess.REPO.resolve("inference-backends/src/main/proto/grpc_predict_v2.proto").toString(), out.toString(),
                "127.0.0.1:" + gateway.grpcPort, new ObjectMapper().writeValueAsString(features))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(printed).isZero();
        assertThat(out.resolve("grpc_predict_v2_pb2_grpc.py")).as("stubs generated by grpc_tools.protoc").exists();

        JsonNode seen = new ObjectMapper().readTree(printed);
        assertThat(seen.get("live").asBoolean()).isTrue();
        assertThat(seen.get("ready").asBoolean()).isTrue();
        assertThat(seen.get("model_ready").asBoolean()).isTrue();
        assertThat(seen.at("/inputs/0/shape").toString()).isEqualTo("[-1,12]");
        assertThat(seen.at("/typed/value").asDouble()).isCloseTo(expected, within(1e-5));
        assertThat(seen.at("/typed/raw_outputs").asInt()).isZero();
        assertThat(seen.at("/typed/id").asText()).isEqualTo("py-typed");
        assertThat(seen.at("/raw/value").asDouble()).isCloseTo(expected, within(1e-5));
        assertThat(seen.at("/raw/typed_outputs").asInt()).isZero();
        assertThat(seen.at("/raw/variant").asText()).isEqualTo(seen.at("/typed/variant").asText());
        assertThat(seen.at("/typed/request_id").asText()).isNotEqualTo(seen.at("/raw/request_id").asText());
        assertThat(seen.at("/errors/unknown_model/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(seen.at("/errors/unknown_model/message").asText()).contains("no-such-model");
        assertThat(seen.at("/errors/short_raw/code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(seen.at("/errors/short_raw/message").asText()).contains("input 'features'");
    }

    private static void assertStatus(ThrowableAssert.ThrowingCallable call, Status.Code code, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }
}
