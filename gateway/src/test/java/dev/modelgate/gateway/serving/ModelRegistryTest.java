package dev.modelgate.gateway.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.Tensor;
import dev.modelgate.inference.djl.DeviceUnavailableException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which variants can serve, what the model's readiness says about them, and load failures that are configuration errors. */
class ModelRegistryTest {

    private static final InferenceRequest REQUEST = new InferenceRequest("r",
            List.of(Tensor.ofFloats("x", new long[] {1}, new float[] {1f})), List.of());

    /** Answers with its own name as the model name while ready; counts its calls. */
    private static final class Stub implements InferenceBackend {

        private final String name;
        private final boolean ready;
        private final AtomicInteger calls = new AtomicInteger();

        Stub(String name, boolean ready) {
            this.name = name;
            this.ready = ready;
        }

        @Override
        public Future<InferenceResponse> infer(InferenceRequest request) {
            calls.incrementAndGet();
            return Future.succeededFuture(new InferenceResponse(name, "", request.id(), List.of()));
        }

        @Override
        public ModelMetadata metadata() {
            return new ModelMetadata(name, "", "test", List.of(), List.of());
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void close() {
        }
    }

    private static ModelConfig fraud(String defaultVariant, List<String> fallback) {
        Map<String, VariantConfig> variants = Map.of(
                "remote", new VariantConfig("remote", "1", null, Map.of(), Optional.empty(), null),
                "local", new VariantConfig("local", "1", null, Map.of(), Optional.empty(), null));
        return new ModelConfig("fraud", defaultVariant, variants, Duration.ofSeconds(1), "", fallback, Optional.empty(), Optional.empty());
    }

    private static ModelRegistry load(ModelConfig config, Map<String, InferenceBackend> backends) throws Exception {
        return ModelRegistry.load(List.of(config), (model, variant) -> Future.succeededFuture(backends.get(variant.name())), Map.of())
                .await(5, TimeUnit.SECONDS);
    }

    @Test
    void aVariantWhoseServerIsDownIsReportedAndPassedOverWhileItsFallbackServes() throws Exception {
        Stub remote = new Stub("remote", false);
        ModelRegistry registry = load(fraud("remote", List.of("local")), Map.of("remote", remote, "local", new Stub("local", true)));
        ServedModel model = registry.find("fraud").orElseThrow();

        assertThat(registry.isReady()).as("the model answers through its fallback").isTrue();
        assertThat(registry.unavailableVariants()).containsExactly("fraud/remote");
        assertThat(model.readyVariant()).map(Variant::name).contains("local");
        assertThat(model.chainFrom(model.defaultVariant()).infer(REQUEST).await(5, TimeUnit.SECONDS).servedBy()).isEqualTo("local");
        assertThat(remote.calls).as("a backend that is not ready is not called").hasValue(0);
    }

    @Test
    void aModelIsNotReadyWhenNoVariantOfItsDefaultChainIsReady() throws Exception {
        ModelRegistry registry = load(fraud("remote", List.of("remote")), Map.of("remote", new Stub("remote", false),
                "local", new Stub("local", true)));

        assertThat(registry.isReady()).as("only an experiment's variant could answer, not the model's own chain").isFalse();
        assertThat(registry.find("fraud").orElseThrow().unavailableVariants()).containsExactly("remote");
    }

    @Test
    void aGpuTheHostDoesNotHaveIsAConfigurationErrorNamingTheDeviceKey() {
        Future<ModelRegistry> loading = ModelRegistry.load(List.of(fraud("local", List.of("local"))),
                (model, variant) -> Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                        "cannot load model '" + model + "'", new DeviceUnavailableException("device gpu:0 requested but the engine sees 0 GPU(s)"))),
                Map.of());

        Throwable failure = loading.transform(done -> Future.succeededFuture(done.cause())).await();
        assertThat(failure).isInstanceOf(ConfigException.class)
                .hasMessageMatching("models\\.fraud\\.variants\\.(local|remote)\\.backend\\.device: device gpu:0 requested but the engine sees 0 GPU\\(s\\)");
    }
}
