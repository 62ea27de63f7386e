package dev.modelgate.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.UncalledBackend;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.gateway.state.InMemoryExperimentStore;
import dev.modelgate.gateway.state.StoredExperiment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Targeting rules route by the request's attributes, which are gathered only for models whose experiments have such rules. */
class RequestRouterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServedModel MODEL = new ServedModel(new ModelConfig("m", "v1",
            Map.of("v1", variant("v1").config(), "v2", variant("v2").config()), Duration.ofSeconds(1), "score", List.of(),
            Optional.empty(), Optional.empty()), Map.of("v1", variant("v1"), "v2", variant("v2")), List.of());

    @Test
    void targetingRulesRouteByTheRequestsAttributes() {
        RequestRouter router = router(Map.of("name", "ab", "model", "m", "kind", "ab",
                "variants", List.of(Map.of("name", "v1", "weight", 100), Map.of("name", "v2", "weight", 0)),
                "targeting", List.of(Map.of("attribute", "x-country", "in", List.of("DE", "AT"), "variant", "v2"))));

        Route targeted = router.route(MODEL, request("unit-1", () -> Map.of("x-country", "AT")));
        assertThat(targeted.variant().config().name()).isEqualTo("v2");
        assertThat(targeted.reason()).isEqualTo("targeted");
        Route split = router.route(MODEL, request("unit-1", () -> Map.of("x-country", "FR")));
        assertThat(split.variant().config().name()).isEqualTo("v1");
        assertThat(split.reason()).isEqualTo("hash");
    }

    @Test
    void withoutTargetingRulesTheAttributesAreNeverGathered() {
        RequestRouter router = router(Map.of("name", "ab", "model", "m", "kind", "ab",
                "variants", List.of(Map.of("name", "v1", "weight", 50), Map.of("name", "v2", "weight", 50))));
        AtomicInteger gathered = new AtomicInteger();

        for (int unit = 0; unit < 100; unit++) {
            router.route(MODEL, request("unit-" + unit, () -> {
                gathered.incrementAndGet();
                return Map.of();
            }));
        }
        assertThat(gathered).hasValue(0);
    }

    private static RequestRouter router(Map<String, Object> spec) {
        return new RequestRouter(new InMemoryExperimentStore(List.of(StoredExperiment.created(SpecParser.parse(spec), NOW, "test"))));
    }

    private static RoutingRequest request(String unitId, Supplier<Map<String, String>> attributes) {
        return new RoutingRequest(Optional.of(unitId), attributes, Optional.empty());
    }

    private static Variant variant(String name) {
        return new Variant(new VariantConfig(name, "1", null, Map.of(), Optional.empty(), null), new UncalledBackend());
    }
}
