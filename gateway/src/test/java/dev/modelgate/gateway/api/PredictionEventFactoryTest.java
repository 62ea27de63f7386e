package dev.modelgate.gateway.api;

import static dev.modelgate.gateway.api.TestExchanges.FEATURE_NAMES;
import static dev.modelgate.gateway.api.TestExchanges.answer;
import static dev.modelgate.gateway.api.TestExchanges.features;
import static dev.modelgate.gateway.api.TestExchanges.served;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.RowCaps;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionEventEncoder;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import dev.modelgate.gateway.telemetry.Utf8;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What lands in a prediction row, and how big it can get whatever the caller sends. */
class PredictionEventFactoryTest {

    private static final RowCaps DEFAULTS = new RowCaps(128, 1_024, 4_096, 1_024, 65_536);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PredictionEventFactory factory = new PredictionEventFactory("gw-1", DEFAULTS,
            new TruncationMeter(registry, PredictionsTable.NAME));

    /** The request of issue 12: a 100 KB input name, 1024 values, rejected by the model (it wants [1,12]). */
    private static String hugeName() {
        return "n".repeat(100_000);
    }

    private static String body(String name, int values) {
        return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"FP32\",\"shape\":[1," + values + "],\"data\":["
                + IntStream.range(0, values).mapToObj(i -> "1").collect(Collectors.joining(",")) + "]}]}";
    }

    @Test
    void theHundredKilobyteNameRequestIsLoggedAsAFewKilobytesThatSayWhatWasCut() throws IOException {
        String name = hugeName();
        String error = "input '" + name + "': shape [1, 1024] does not match the model's [-1, 12]";

        PredictionEvent event = factory.create(served(features(name, 1024), body(name, 1024), null, 400, error));

        assertThat(rowBytes(event)).isLessThan(6 * 1024);
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.featureNames()).isEmpty();
        assertThat(event.error()).startsWith("input 'nnn");
        assertThat(event.error().getBytes(StandardCharsets.UTF_8)).hasSize(1_024);
        assertThat(event.requestJson()).hasSize(4_096);
        assertThat(event.truncatedFields()).containsExactly("error", "request_json");
        assertThat(registry.get("modelgate.events.truncated").tags("table", "predictions", "field", "error").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("modelgate.events.truncated").tags("field", "feature_names").counter().count()).isZero();
    }

    @Test
    void aRequestAnswered4xxLogsItsStatusErrorAndBodyButNoValues() {
        String body = body("features", 12);

        PredictionEvent event = factory.create(served(features("features", 12), body, null, 400,
                "input 'features': expected FP32"));

        assertThat(event.featureNames()).isEmpty();
        assertThat(event.featureValues()).isEmpty();
        assertThat(event.outputNames()).isEmpty();
        assertThat(event.error()).isEqualTo("input 'features': expected FP32");
        assertThat(new String(event.requestJson(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(event.truncatedFields()).isEmpty();
    }

    @Test
    void aBackendFailureStillLogsTheValidInputs() {
        PredictionEvent event = factory.create(served(features("features", 12), body("features", 12), null, 503,
                "model 'fraud-score' failed: down"));

        assertThat(event.featureNames()).isEqualTo(FEATURE_NAMES);
        assertThat(event.featureValues()).hasSize(12);
    }

    @Test
    void aNormalRequestSharesTheConfiguredNamesAndCutsNothing() {
        PredictionEvent event = factory.create(served(features("features", 12), body("features", 12), answer(), 200, null));

        assertThat(event.featureNames()).isSameAs(TestExchanges.V1.config().featureNames().get("features"));
        assertThat(event.featureValues()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(event.outputNames()).containsExactly("fraud_probability");
        assertThat(event.score()).isEqualTo(0.25);
        assertThat(event.truncatedFields()).isEmpty();
        assertThat(registry.find("modelgate.events.truncated").counters()).allMatch(c -> c.count() == 0);
    }

    @Test
    void anAcceptedHugeNameIsCutButItsColumnsStayDistinctAndTheRowStaysUnderItsCap() throws IOException {
        String name = hugeName();

        PredictionEvent event = factory.create(served(features(name, 1024), body(name, 1024), answer(), 200, null));

        assertThat(event.featureNames()).allSatisfy(n -> assertThat(Utf8.length(n)).isLessThanOrEqualTo(128));
        assertThat(event.featureNames()).doesNotHaveDuplicates();
        assertThat(event.featureNames().get(3)).endsWith("n[3]");
        // 1024 names of 128 bytes do not fit in 64 KB: the leading columns do, and the output is kept
        assertThat(event.featureNames().size()).isBetween(400, 500);
        assertThat(event.outputNames()).containsExactly("fraud_probability");
        assertThat(rowBytes(event)).isLessThanOrEqualTo(65_536 + 4_096);
        assertThat(event.truncatedFields()).containsExactly("feature_names", "feature_values", "request_json");
    }

    @Test
    void valuesPastMaxLoggedValuesAreDroppedAndSaidSo() {
        PredictionEvent event = factory.create(served(features("features", 2_000), body("features", 2_000), null, 503, "down"));

        assertThat(event.featureValues()).hasSize(1_024);
        assertThat(event.featureNames().get(1_023)).isEqualTo("features[1023]");
        assertThat(event.truncatedFields()).containsExactly("feature_values");
    }

    @Test
    void theRequestBodyIsCutLastWhenTheRowIsStillTooBig() {
        PredictionEventFactory tight = new PredictionEventFactory("gw-1", new RowCaps(128, 1_024, 4_096, 1_024, 2_048),
                new TruncationMeter(registry, PredictionsTable.NAME));
        String body = "{\"pad\":\"" + "x".repeat(8_000) + "\"}";

        PredictionEvent event = tight.create(served(features("features", 12), body, answer(), 200, null));

        assertThat(event.featureValues()).isEmpty();
        assertThat(event.outputValues()).isEmpty();
        assertThat(event.requestJson().length).isBetween(1_000, 2_048);
        assertThat(event.truncatedFields()).containsExactly("feature_values", "output_values", "request_json");
    }

    @Test
    void theRowCapCountsRealBytesNotTheWorstCase() {
        // about 900 bytes of row; three bytes per char, the bound tried first, would make it about 1,400
        PredictionEventFactory tight = new PredictionEventFactory("gw-1", new RowCaps(128, 1_024, 4_096, 1_024, 1_024),
                new TruncationMeter(registry, PredictionsTable.NAME));

        PredictionEvent event = tight.create(served(features("features", 12), "x".repeat(400), answer(), 200, null));

        assertThat(event.featureValues()).hasSize(12);
        assertThat(event.truncatedFields()).isEmpty();
    }

    @Test
    void callerSetStringsAreCutOnACharacterBoundary() {
        String unitId = "\uD83D\uDE80".repeat(100); // 400 bytes of 4-byte characters
        InferenceExchange exchange = served(features("features", 12), "{}", null, 400, "\u00e9".repeat(2_000));
        PredictionEvent event = factory.create(new InferenceExchange(exchange.requestId(), exchange.arrivalMillis(),
                exchange.model(), exchange.route(), exchange.served(), exchange.reason(), exchange.role(), unitId,
                exchange.inputs(), exchange.body(), null, 400, exchange.error(), 0, 0, exchange.protocol(), ""));

        assertThat(event.unitId()).isEqualTo("\uD83D\uDE80".repeat(32));
        assertThat(event.error()).isEqualTo("\u00e9".repeat(512));
        assertThat(event.truncatedFields()).containsExactly("unit_id", "error");
    }

    private static int rowBytes(PredictionEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PredictionEventEncoder().encode(event, out);
        return out.size();
    }
}
