package dev.modelgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.DriftMethod;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.rules.AlertState;
import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.drift.rules.RuleState;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.drift.DriftRun;
import dev.modelgate.gateway.drift.DriftWindow;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only transitions and periodic re-sends reach the channels, and a resolution closes the alert that fired. */
class AlertDispatcherTest {

    private static final Duration RESEND = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final List<DriftAlert> sent = new ArrayList<>();
    private Instant now = Instant.parse("2026-03-01T12:00:00Z");
    private final AlertDispatcher dispatcher = new AlertDispatcher(List.of(recorder()), RESEND,
            "https://grafana.example/d/drift?var-model={model}&var-variant={variant}", clock());

    @Test
    void firesOnceResendsWhileFiringAndResolvesTheSameAlert() {
        run(WindowVerdict.DRIFT, AlertState.PENDING, AlertTransition.NONE);
        assertThat(sent).isEmpty();

        run(WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.FIRED);
        Instant firedAt = now;
        assertThat(sent).singleElement().satisfies(alert -> {
            assertThat(alert.firing()).isTrue();
            assertThat(alert.startsAt()).isEqualTo(firedAt);
            assertThat(alert.endsAt()).isEqualTo(firedAt.plus(RESEND.multipliedBy(AlertLifecycle.ENDS_AT_RESENDS)));
            assertThat(alert.driftedFeatures()).extracting(FeatureDrift::feature).containsExactly("amount");
            assertThat(alert.dashboardUrl()).isEqualTo("https://grafana.example/d/drift?var-model=fraud&var-variant=v1");
        });

        // still drifting, and windows that could not be judged: nothing new until the re-send is due
        run(WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.NONE);
        run(WindowVerdict.UNKNOWN, AlertState.FIRING, AlertTransition.NONE);
        assertThat(sent).hasSize(1);
        now = firedAt.plus(RESEND);
        run(WindowVerdict.UNKNOWN, AlertState.FIRING, AlertTransition.NONE);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).startsAt()).isEqualTo(firedAt);
        assertThat(sent.get(1).firing()).isTrue();
        // a window without data repeats what the last evaluated one said
        assertThat(sent.get(1).driftedFeatures()).extracting(FeatureDrift::feature).containsExactly("amount");

        run(WindowVerdict.NO_DRIFT, AlertState.OK, AlertTransition.RESOLVED);
        Instant resolvedAt = now;
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).firing()).isFalse();
        assertThat(sent.get(2).startsAt()).isEqualTo(firedAt);
        assertThat(sent.get(2).endsAt()).isEqualTo(resolvedAt);
        assertThat(dispatcher.firingCount()).isZero();

        now = now.plus(RESEND.multipliedBy(3));
        run(WindowVerdict.NO_DRIFT, AlertState.OK, AlertTransition.NONE);
        assertThat(sent).hasSize(3);
    }

    @Test
    void anAlertFiringBeforeThisProcessIsAnnouncedAndItsResolutionSent() {
        run(WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.NONE);
        Instant adoptedAt = now;
        run(WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.NONE);
        run(WindowVerdict.NO_DRIFT, AlertState.OK, AlertTransition.RESOLVED);

        assertThat(sent).extracting(DriftAlert::firing).containsExactly(true, false);
        assertThat(sent.get(1).startsAt()).isEqualTo(adoptedAt);

        run("v2", WindowVerdict.NO_DRIFT, AlertState.OK, AlertTransition.RESOLVED);
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).variant()).isEqualTo("v2");
        assertThat(sent.get(2).firing()).isFalse();
    }

    @Test
    void variantsAreTrackedSeparately() {
        run("v1", WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.FIRED);
        run("v2", WindowVerdict.DRIFT, AlertState.FIRING, AlertTransition.FIRED);
        run("v1", WindowVerdict.NO_DRIFT, AlertState.OK, AlertTransition.RESOLVED);

        assertThat(sent).extracting(a -> a.variant() + ":" + a.firing()).containsExactly("v1:true", "v2:true", "v1:false");
        assertThat(dispatcher.firingCount()).isEqualTo(1);
    }

    private void run(WindowVerdict verdict, AlertState state, AlertTransition transition) {
        run("v1", verdict, state, transition);
    }

    private void run(String variant, WindowVerdict verdict, AlertState state, AlertTransition transition) {
        now = now.plus(WINDOW);
        Optional<DatasetDrift> dataset = verdict == WindowVerdict.UNKNOWN ? Optional.empty() : Optional.of(dataset(verdict == WindowVerdict.DRIFT));
        dispatcher.onRun(new DriftRun("run", "fraud", variant, now, DriftWindow.ending(now, WINDOW), verdict, dataset, "",
                new RuleState(state, 0, 0), transition));
    }

    private static DatasetDrift dataset(boolean drifted) {
        FeatureDrift amount = new FeatureDrift("amount", DriftMethod.WASSERSTEIN_NORMED, drifted ? 0.8 : 0.02, Double.NaN,
                Double.NaN, 0.1, drifted, 5_000, 20_000);
        FeatureDrift hour = new FeatureDrift("hour", DriftMethod.JENSEN_SHANNON, 0.01, Double.NaN, Double.NaN, 0.1, false,
                5_000, 20_000);
        return new DatasetDrift(List.of(amount, hour), List.of(), drifted ? 0.5 : 0.0, 0.5, drifted, 20_000);
    }

    private AlertChannel recorder() {
        return new AlertChannel() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public Future<Void> deliver(Notification alert) {
                sent.add((DriftAlert) alert);
                return Future.succeededFuture();
            }
        };
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }
}
