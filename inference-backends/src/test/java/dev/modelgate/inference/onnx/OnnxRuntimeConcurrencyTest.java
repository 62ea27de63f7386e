package dev.modelgate.inference.onnx;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.demo.DemoFiles;
import dev.modelgate.inference.demo.FraudScoreReference;
import dev.modelgate.inference.testmodels.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Many callers at once on one event loop: each gets its own answer, and the loop never waits for the engine. */
class OnnxRuntimeConcurrencyTest {

    private static final int CALLS = 200;
    private static final String BLOCKED_THREAD_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

    private final ListAppender<ILoggingEvent> blockedThreadWarnings = new ListAppender<>();
    private Vertx vertx;

    @BeforeEach
    void startVertxWithAStrictBlockedThreadChecker() {
        Logger logger = (Logger) LoggerFactory.getLogger(BLOCKED_THREAD_LOGGER);
        blockedThreadWarnings.start();
        logger.addAppender(blockedThreadWarnings);
        // an event loop busy for more than 50 ms gets reported; checked every 10 ms
        vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
        ((Logger) LoggerFactory.getLogger(BLOCKED_THREAD_LOGGER)).detachAppender(blockedThreadWarnings);
    }

    @Test
    void concurrentCallersEachGetTheirOwnRowsResultOnTheirOwnContext() throws IOException {
        FraudScoreReference reference = FraudScoreReference.loadDemo();
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx,
                OnnxRuntimeSettings.of("fraud-score", DemoFiles.fraudScoreOnnx()).withInstances(2)));
        List<float[]> rows = randomRows(reference, CALLS);
        Context context = vertx.getOrCreateContext();
        Promise<List<InferenceResponse>> all = Promise.promise();
        List<Boolean> completedOnCallersEventLoop = new ArrayList<>();

        context.runOnContext(start -> {
            List<Future<InferenceResponse>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                Tensor row = Tensor.ofFloats("features", new long[] {1, 12}, rows.get(i));
                calls.add(backend.infer(new InferenceRequest("call-" + i, List.of(row), List.of()))
                        .andThen(done -> completedOnCallersEventLoop.add(
                                Vertx.currentContext() == context && Context.isOnEventLoopThread())));
            }
            Future.all(calls).map(done -> calls.stream().map(Future::result).toList()).onComplete(all);
        });
        List<InferenceResponse> responses = Await.result(all.future());

        for (int i = 0; i < CALLS; i++) {
            InferenceResponse response = responses.get(i);
            assertThat(response.id()).isEqualTo("call-" + i);
            assertThat(response.outputs().get(0).getDouble(0)).as("call %d", i)
                    .isCloseTo(reference.probability(rows.get(i)), within(1e-6));
        }
        assertThat(completedOnCallersEventLoop).hasSize(CALLS).containsOnly(true);
        assertThat(blockedThreadWarnings.list).as("blocked-thread warnings").isEmpty();
        Await.result(backend.closeAsync());
    }

    @Test
    void closingWhileCallsAreInFlightLetsThemFinish() throws IOException {
        FraudScoreReference reference = FraudScoreReference.loadDemo();
        OnnxRuntimeBackend backend = Await.result(OnnxRuntimeBackend.load(vertx,
                OnnxRuntimeSettings.of("fraud-score", DemoFiles.fraudScoreOnnx()).withInstances(2)));
        List<float[]> rows = randomRows(reference, 20);
        List<Future<InferenceResponse>> calls = new ArrayList<>();
        for (float[] row : rows) {
            calls.add(backend.infer(new InferenceRequest("r", List.of(Tensor.ofFloats("features", new long[] {1, 12}, row)), List.of())));
        }

        Future<Void> closed = backend.closeAsync();

        for (int i = 0; i < rows.size(); i++) {
            assertThat(Await.result(calls.get(i)).outputs().get(0).getDouble(0))
                    .isCloseTo(reference.probability(rows.get(i)), within(1e-6));
        }
        Await.result(closed);
        assertThat(backend.isReady()).isFalse();
    }

    private static List<float[]> randomRows(FraudScoreReference reference, int count) {
        Random random = new Random(7);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] row = new float[reference.parameters().featureCount()];
            for (int j = 0; j < row.length; j++) {
                var feature = reference.parameters().features().get(j);
                row[j] = (float) (feature.mean() + feature.std() * random.nextGaussian());
            }
            rows.add(row);
        }
        return rows;
    }
}
