package dev.modelgate.gateway.quality;

import dev.modelgate.gateway.alerts.AlertChannel;
import dev.modelgate.gateway.alerts.AlertChannels;
import dev.modelgate.gateway.alerts.AlertLifecycle;
import dev.modelgate.statistics.quality.Degradation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends quality alerts through the gateway's alert channels (Alertmanager, webhooks) with the same
 * fire / re-send / resolve lifecycle as drift alerts. A firing window that could not be judged
 * repeats the previous details.
 */
final class QualityAlerts implements Consumer<QualityRun> {

    private static final Logger LOG = LoggerFactory.getLogger(QualityAlerts.class);

    private final List<AlertChannel> channels;
    private final String dashboardTemplate;
    private final AlertLifecycle<QualityAlert> lifecycle;

    QualityAlerts(List<AlertChannel> channels, Duration resendInterval, String dashboardTemplate, Clock clock) {
        this.channels = List.copyOf(channels);
        this.dashboardTemplate = dashboardTemplate;
        this.lifecycle = new AlertLifecycle<>(resendInterval, clock);
    }

    @Override
    public void accept(QualityRun run) {
        lifecycle.next(run.model() + '\u0000' + run.variant(), run.transition(), run.alertState().state(),
                new AlertLifecycle.Notifications<>() {
                    @Override
                    public QualityAlert firing(Instant startsAt, Instant endsAt, QualityAlert previous) {
                        return alert(run, true, startsAt, endsAt, previous);
                    }

                    @Override
                    public QualityAlert resolved(Instant startsAt, Instant resolvedAt) {
                        return alert(run, false, startsAt, resolvedAt, null);
                    }
                }).ifPresent(this::send);
    }

    private QualityAlert alert(QualityRun run, boolean firing, Instant startsAt, Instant endsAt, QualityAlert previous) {
        Judgement j = run.judgement();
        if (j.test().isEmpty() && previous != null) {
            return new QualityAlert(run.model(), run.variant(), firing, startsAt, endsAt, previous.metric(), previous.source(),
                    previous.baseline(), previous.current(), previous.pValue(), previous.sampleSize(), previous.window(),
                    previous.dashboardUrl());
        }
        Degradation d = j.test().orElse(new Degradation(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false));
        String dashboard = dashboardTemplate.replace("{model}", run.model()).replace("{variant}", run.variant());
        return new QualityAlert(run.model(), run.variant(), firing, startsAt, endsAt, j.metric(), j.source(), d.baseline(), d.current(),
                d.pValue(), j.sampleSize(), "realised".equals(j.source()) ? run.labelledWindow() : run.currentWindow(), dashboard);
    }

    private void send(QualityAlert alert) {
        LOG.info("quality alert {}: {}", alert.firing() ? "firing" : "resolved", alert.summary());
        AlertChannels.deliver(channels, alert);
    }
}
