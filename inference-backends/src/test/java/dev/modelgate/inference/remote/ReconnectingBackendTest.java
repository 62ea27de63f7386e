package dev.modelgate.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.remote.StubServer.Reply;
import dev.modelgate.inference.remote.kserve.KServeV2Protocol;
import dev.modelgate.inference.remote.kserve.KServeV2Settings;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A remote server that is down, slow or not ready when the backend opens does not fail it: it catches up in the background. */
class ReconnectingBackendTest {

    private static final String METADATA = """
            {"name": "iris", "versions": ["1"], "platform": "triton",
             "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 3]}],
             "outputs": [{"name": "scores", "datatype": "FP32", "shape": [-1, 1]}]}""";
    private static final String ANSWER = """
            {"model_name": "iris", "outputs": [{"name": "scores", "datatype": "FP32", "shape": [1, 1], "data": [0.5]}]}""";
    private static final ModelMetadata UNKNOWN = new ModelMetadata("iris", "", "kserve", List.of(), List.of());
    private static final ReconnectingBackend.Backoff FAST = new ReconnectingBackend.Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    private static final InferenceRequest ONE_ROW = new InferenceRequest("r",
            List.of(Tensor.ofFloats("features", new long[] {1, 3}, new float[] {1f, 2f, 3f})), List.of());

    private final AtomicLong metadataDelayMillis = new AtomicLong();
    private Vertx vertx;
    private StubServer server;
    private ReconnectingBackend backend;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        if (server != null) {
            server.close();
        }
        Await.result(vertx.close());
    }

    private ReconnectingBackend open(int port, Duration requestTimeout) {
        RemoteEndpoint endpoint = RemoteEndpoint.of("http://127.0.0.1:" + port).withRequestTimeout(requestTimeout);
        KServeV2Protocol protocol = new KServeV2Protocol(new KServeV2Settings("iris", ""));
        return Await.result(ReconnectingBackend.open(vertx, "iris/remote", UNKNOWN, FAST, () -> RemoteBackend.connect(vertx, endpoint, protocol)));
    }

    private StubServer serve(int port) {
        return StubServer.start(vertx, port)
                .route(HttpMethod.GET, "/v2/models/iris", request -> Reply.ok(METADATA).after(metadataDelayMillis.get()))
                .route(HttpMethod.GET, "/v2/models/iris/ready", Reply.ok(""))
                .route(HttpMethod.POST, "/v2/models/iris/infer", Reply.ok(ANSWER));
    }

    @Test
    void aServerDownAtStartGivesABackendThatFailsFastAndServesOnceTheServerIsUp() throws Exception {
        int port = freePort();
        backend = open(port, Duration.ofSeconds(1));

        assertThat(backend.isReady()).isFalse();
        assertThat(backend.metadata()).isEqualTo(UNKNOWN);
        assertThat(RemoteTestSupport.failureKind(backend.infer(ONE_ROW))).isEqualTo(InferenceException.Kind.BACKEND_FAILURE);

        Thread.sleep(500); // a few failed attempts: the backoff grows to its 200 ms cap
        server = serve(port);
        long up = System.nanoTime();
        awaitReady();
        assertThat(Duration.ofNanos(System.nanoTime() - up)).as("ready within about one capped backoff (200 ms), with room for a busy machine").isLessThan(Duration.ofSeconds(2));
        assertThat(backend.metadata().platform()).isEqualTo("triton");
        assertThat(Await.result(backend.infer(ONE_ROW)).outputs()).hasSize(1);
    }

    @Test
    void metadataSlowerThanTheRequestTimeoutIsRetriedUntilItArrivesInTime() throws Exception {
        int port = freePort();
        metadataDelayMillis.set(400);
        server = serve(port);
        backend = open(port, Duration.ofMillis(200));

        assertThat(backend.isReady()).as("the first answer came after the 200 ms timeout").isFalse();
        metadataDelayMillis.set(0);
        awaitReady();
    }

    @Test
    void closingStopsTheAttempts() throws Exception {
        int port = freePort();
        backend = open(port, Duration.ofSeconds(1));
        backend.close();
        server = serve(port);
        Thread.sleep(500);

        assertThat(server.received("/v2/models/iris")).as("no attempt after close").isEmpty();
        assertThat(backend.isReady()).isFalse();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!backend.isReady() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(backend.isReady()).as("ready once the server answers in time").isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
