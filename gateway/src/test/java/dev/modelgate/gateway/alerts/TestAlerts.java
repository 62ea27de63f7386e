package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.gateway.drift.DriftWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Alerts as the dispatcher builds them, for the payload and channel tests. */
final class TestAlerts {

    private TestAlerts() {
    }

    static DriftAlert firing(String model, String variant, Instant startsAt) {
        FeatureDrift amount = new FeatureDrift("amount", DriftMethod.WASSERSTEIN_NORMED, 0.83125, Double.NaN, Double.NaN, 0.1,
                true, 5_000, 20_000);
        FeatureDrift foreign = new FeatureDrift("is_foreign", DriftMethod.CHI_SQUARE, 41.5, 1.2e-10, 3.6e-10, 0.05, true,
                2_000, 800);
        return new DriftAlert(model, variant, true, startsAt, startsAt.plus(Duration.ofMinutes(20)),
                DriftWindow.ending(startsAt, Duration.ofMinutes(60)), List.of(amount, foreign), 0.1667, 0.1,
                "https://grafana.example/d/drift?var-model=" + model);
    }

    static DriftAlert resolved(DriftAlert fired, Instant at) {
        return new DriftAlert(fired.model(), fired.variant(), false, fired.startsAt(), at, fired.window(), List.of(),
                0.0, fired.shareThreshold(), fired.dashboardUrl());
    }
}
