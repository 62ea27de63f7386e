package dev.modelgate.gateway.api;

import static dev.modelgate.gateway.api.TestExchanges.MODEL;
import static dev.modelgate.gateway.api.TestExchanges.answer;
import static dev.modelgate.gateway.api.TestExchanges.features;
import static dev.modelgate.gateway.api.TestExchanges.served;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.gateway.config.FeatureLogging;
import dev.modelgate.gateway.config.ModelConfig;
import dev.modelgate.gateway.config.PrivacyConfig;
import dev.modelgate.gateway.config.RowCaps;
import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.gateway.privacy.KeyedHash;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.PredictionsTable;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code features.F.log: hash | redact | drop}: what a protected feature looks like in the logged row. */
class ProtectedFeaturesTest {

    private static final String SALT = "a-salt-of-sixteen-or-more";
    private static final ModelConfig PROTECTED = new ModelConfig(MODEL.config().name(), "v1", MODEL.config().variants(),
            MODEL.config().timeout(), "fraud_probability", List.of(), MODEL.config().defaultResponse(), Optional.empty(),
            Map.of("amount", FeatureLogging.REDACT, "account_age_days", FeatureLogging.DROP, "is_foreign", FeatureLogging.HASH,
                    "hour_of_day", FeatureLogging.HASH, "merchant_risk", FeatureLogging.KEEP));

    private final PredictionEventFactory factory = new PredictionEventFactory("gw-1", new RowCaps(128, 1_024, 4_096, 1_024, 65_536),
            new TruncationMeter(new SimpleMeterRegistry(), PredictionsTable.NAME),
            FeatureMasks.of(List.of(PROTECTED), new PrivacyConfig(SALT)));

    @Test
    void protectedFeaturesAreHashedRedactedOrDroppedAndTheRawBodyIsNotLogged() {
        // features(...) sends 1, 2, 3, ...: amount = 1, account_age_days = 2, is_foreign = 6, hour_of_day = 7
        PredictionEvent event = factory.create(served(features("features", 12), "{\"raw\": \"body\"}", answer(), 200, null));

        assertThat(event.featureNames()).doesNotContain("account_age_days").hasSize(11);
        assertThat(value(event, "amount")).isNaN();
        KeyedHash hash = new KeyedHash(SALT);
        assertThat(value(event, "is_foreign")).isEqualTo(hash.hash("is_foreign", 6.0)).isNotEqualTo(6.0);
        assertThat(value(event, "hour_of_day")).isEqualTo(hash.hash("hour_of_day", 7.0));
        assertThat(value(event, "merchant_risk")).isEqualTo(8.0);
        assertThat(value(event, "velocity_ratio")).isEqualTo(12.0);
        assertThat(event.requestJson()).isEmpty();
        assertThat(event.truncatedFields()).isEmpty();
    }

    @Test
    void aHashIsStableForAKeyAndDiffersBetweenKeysFeaturesAndValues() {
        KeyedHash hash = new KeyedHash(SALT);

        assertThat(new KeyedHash(SALT).hash("is_foreign", 1.0)).isEqualTo(hash.hash("is_foreign", 1.0));
        assertThat(hash.hash("is_foreign", 0.0)).isEqualTo(hash.hash("is_foreign", -0.0));
        assertThat(hash.hash("is_foreign", 1.0)).isNotEqualTo(hash.hash("is_foreign", 0.0))
                .isNotEqualTo(hash.hash("card_present", 1.0))
                .isNotEqualTo(new KeyedHash(SALT + "2").hash("is_foreign", 1.0));
        double value = hash.hash("hour_of_day", 13);
        assertThat(value).isBetween(0.0, Math.pow(2, 52)).isEqualTo(Math.rint(value));
    }

    @Test
    void modelsWithoutRulesLogAsBefore() {
        PredictionEventFactory plain = new PredictionEventFactory("gw-1", new RowCaps(128, 1_024, 4_096, 1_024, 65_536),
                new TruncationMeter(new SimpleMeterRegistry(), PredictionsTable.NAME),
                FeatureMasks.of(List.of(MODEL.config()), new PrivacyConfig(SALT)));

        PredictionEvent event = plain.create(served(features("features", 12), "{}", answer(), 200, null));

        assertThat(event.featureValues()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(new String(event.requestJson())).isEqualTo("{}");
    }

    private static double value(PredictionEvent event, String feature) {
        return event.featureValues()[event.featureNames().indexOf(feature)];
    }
}
