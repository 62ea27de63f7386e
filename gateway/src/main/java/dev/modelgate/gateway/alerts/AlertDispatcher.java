package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.gateway.config.AlertsConfig;
import dev.modelgate.gateway.drift.DriftRun;
import dev.modelgate.gateway.drift.DriftRunListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns drift runs into notifications without repeating itself ({@link AlertLifecycle}): the rule's
 * hysteresis ({@code DriftAlertRule}) decides when an alert fires and resolves; windows that could
 * not be judged keep a firing alert alive and repeat its previous details. Delivery is asynchronous
 * and never blocks the monitor's thread.
 */
public final class AlertDispatcher implements DriftRunListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    private final List<AlertChannel> channels;
    private final String dashboardTemplate;
    private final AlertLifecycle<DriftAlert> lifecycle;

    /** @param dashboardTemplate URL with {@code {model}} and {@code {variant}} placeholders; empty for none */
    public AlertDispatcher(List<AlertChannel> channels, Duration resendInterval, String dashboardTemplate, Clock clock) {
        this.channels = List.copyOf(channels);
        this.dashboardTemplate = dashboardTemplate;
        this.lifecycle = new AlertLifecycle<>(resendInterval, clock);
    }

    @Override
    public void onRun(DriftRun run) {
        lifecycle.next(run.model() + '\u0000' + run.variant(), run.transition(), run.alertState().state(),
                new AlertLifecycle.Notifications<>() {
                    @Override
                    public DriftAlert firing(Instant startsAt, Instant endsAt, DriftAlert previous) {
                        return AlertDispatcher.this.firing(run, startsAt, endsAt, previous);
                    }

                    @Override
                    public DriftAlert resolved(Instant startsAt, Instant resolvedAt) {
                        return new DriftAlert(run.model(), run.variant(), false, startsAt, resolvedAt, run.window(), List.of(), share(run),
                                run.dataset().map(DatasetDrift::shareThreshold).orElse(Double.NaN), dashboardUrl(run));
                    }
                }).ifPresent(this::send);
    }

    /** The dispatcher for the configured channels. */
    public static AlertDispatcher create(List<AlertChannel> channels, AlertsConfig config) {
        return new AlertDispatcher(channels, config.resendInterval(), config.dashboardUrlTemplate(), Clock.systemUTC());
    }

    /** Variants whose alert this dispatcher considers firing. */
    public int firingCount() {
        return lifecycle.firingCount();
    }

    /** A firing notification; a run that could not be evaluated repeats the previous details. */
    private DriftAlert firing(DriftRun run, Instant startsAt, Instant endsAt, DriftAlert previous) {
        if (run.dataset().isEmpty() && previous != null) {
            return new DriftAlert(run.model(), run.variant(), true, startsAt, endsAt, previous.window(),
                    previous.driftedFeatures(), previous.driftedShare(), previous.shareThreshold(), previous.dashboardUrl());
        }
        List<FeatureDrift> drifted = run.dataset().map(d -> d.features().stream().filter(FeatureDrift::drifted).toList())
                .orElse(List.of());
        double threshold = run.dataset().map(DatasetDrift::shareThreshold).orElse(Double.NaN);
        return new DriftAlert(run.model(), run.variant(), true, startsAt, endsAt, run.window(), drifted, share(run), threshold,
                dashboardUrl(run));
    }

    private static double share(DriftRun run) {
        return run.dataset().map(DatasetDrift::driftedShare).orElse(Double.NaN);
    }

    private String dashboardUrl(DriftRun run) {
        return dashboardTemplate.replace("{model}", run.model()).replace("{variant}", run.variant());
    }

    private void send(DriftAlert alert) {
        LOG.info("drift alert {}: {}", alert.firing() ? "firing" : "resolved", alert.summary());
        AlertChannels.deliver(channels, alert);
    }
}
