package dev.modelgate.gateway.api;

import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.VariantConfig;
import dev.modelgate.gateway.routing.Route;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.UncalledBackend;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Exchanges of the demo's fraud-score model (one input {@code features} of 12 named columns) for the logging tests. */
final class TestExchanges {

    static final List<String> FEATURE_NAMES = List.of("amount", "account_age_days", "tx_count_24h", "avg_amount_30d",
            "distance_from_home_km", "is_foreign", "hour_of_day", "merchant_risk", "card_present", "failed_logins_7d",
            "device_age_days", "velocity_ratio");

    static final Variant V1 = new Variant(new VariantConfig("v1", "1", null, Map.of("features", FEATURE_NAMES),
            Optional.empty(), null), new UncalledBackend());
    static final ServedModel MODEL = new ServedModel(new ModelConfig("fraud-score", "v1", Map.of("v1", V1.config()),
            Duration.ofSeconds(2), "fraud_probability", List.of(), Optional.empty(), Optional.empty()), Map.of("v1", V1), List.of());
    static final Route ROUTE = new Route("", V1, Route.REASON_DEFAULT, List.of());

    private TestExchanges() {}

    static Tensor features(String name, int columns) {
        float[] data = new float[columns];
        for (int i = 0; i < columns; i++) {
            data[i] = i + 1;
        }
        return Tensor.ofFloats(name, new long[] {1, columns}, data);
    }

    static InferenceResponse answer() {
        return new InferenceResponse("fraud-score", "1", "id",
                List.of(Tensor.ofFloats("fraud_probability", new long[] {1, 1}, new float[] {0.25f})));
    }

    /** A primary exchange that reached the backend; {@code response} null unless status is 200. */
    static InferenceExchange served(Tensor input, String body, InferenceResponse response, int status, String error) {
        return new InferenceExchange("req-1", 1_714_979_289_123L, MODEL, ROUTE, "v1", Route.REASON_DEFAULT,
                PredictionEvent.ROLE_PRIMARY, "user-1", List.of(input), body.getBytes(StandardCharsets.UTF_8), response,
                status, error, 2_000_000, 1_000_000, InferenceExchange.REST, "checkout");
    }
}
