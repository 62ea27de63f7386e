package dev.modelgate.inference.djl;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.onnx.OnnxRuntimeBackend;
import dev.modelgate.inference.onnx.OnnxRuntimeSettings;
import dev.modelgate.inference.testmodels.Await;
import dev.modelgate.inference.testmodels.LinearModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reloading a real ONNX model file while callers keep sending requests. */
class ReloadableBackendTest {

    private static final LinearModel OLD = new LinearModel(new float[] {1, 0, 0, 1, 0, 0}, new float[] {0, 0});
    private static final LinearModel NEW = new LinearModel(new float[] {0, 1, 1, 0, 2, 2}, new float[] {100, -100});
    private static final float[] X = {1, 2, 3};

    @TempDir
    Path dir;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
    }

    @Test
    void reloadUnderLoadFailsNoRequestAndServesTheNewFileAfterTheSwap() throws Exception {
        Path file = OLD.writeOnnx(dir.resolve("model.onnx"));
        ReloadableBackend backend = Await.result(ReloadableBackend.load(loader(file)));
        List<Future<InferenceResponse>> sent = new CopyOnWriteArrayList<>();
        // a steady stream of calls from an event loop, before, during and after the reload
        long timer = vertx.setPeriodic(1, tick -> sent.add(backend.infer(request())));
        awaitCalls(sent, 20);

        NEW.writeOnnx(file);
        Await.result(backend.reload());
        int atSwap = sent.size();
        awaitCalls(sent, atSwap + 20);
        vertx.cancelTimer(timer);

        // a tick already running when the timer was cancelled may still add a call: wait for a fixed set
        List<Future<InferenceResponse>> calls = List.copyOf(sent);
        List<InferenceResponse> responses = Await.result(Future.all(calls).map(done ->
                calls.stream().map(Future::result).toList()));
        double[] oldY = OLD.y(X);
        double[] newY = NEW.y(X);
        for (InferenceResponse response : responses) {
            double y0 = response.outputs().get(0).getDouble(0);
            assertThat(y0).isIn(oldY[0], newY[0]);
        }
        assertThat(responses.get(0).outputs().get(0).getDouble(0)).isEqualTo(oldY[0]);
        for (InferenceResponse afterSwap : responses.subList(atSwap + 1, responses.size())) {
            assertThat(afterSwap.outputs().get(0).getDouble(0)).isCloseTo(newY[0], within(1e-5));
            assertThat(afterSwap.outputs().get(0).getDouble(1)).isCloseTo(newY[1], within(1e-5));
        }
        backend.close();
    }

    @Test
    void aFailedReloadKeepsTheOldModelServing() throws Exception {
        Path file = OLD.writeOnnx(dir.resolve("model.onnx"));
        ReloadableBackend backend = Await.result(ReloadableBackend.load(loader(file)));

        Files.writeString(file, "not an onnx model");
        Throwable failure = Await.failure(backend.reload());

        assertThat(failure).hasMessageContaining("model 'linear'");
        assertThat(backend.isReady()).isTrue();
        assertThat(Await.result(backend.infer(request())).outputs().get(0).getDouble(0)).isEqualTo(OLD.y(X)[0]);
        backend.close();
        assertThat(backend.isReady()).isFalse();
    }

    private static Supplier<Future<? extends InferenceBackend>> loader(Path file) {
        return () -> OnnxRuntimeBackend.load(vertx, OnnxRuntimeSettings.of("linear", file));
    }

    private static InferenceRequest request() {
        return new InferenceRequest("r", List.of(Tensor.ofFloats("x", new long[] {1, 3}, X)), List.of("y"));
    }

    private static void awaitCalls(List<?> sent, int count) {
        Promise<Void> reached = Promise.promise();
        long poll = vertx.setPeriodic(1, tick -> {
            if (sent.size() >= count) {
                reached.tryComplete();
            }
        });
        Await.result(reached.future().andThen(done -> vertx.cancelTimer(poll)));
    }
}
