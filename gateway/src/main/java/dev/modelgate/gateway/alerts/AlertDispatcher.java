package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.FeatureDrift;
import dev.modelgate.drift.rules.AlertState;
import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.gateway.config.AlertsConfig;
import dev.modelgate.gateway.drift.DriftRun;
import dev.modelgate.gateway.drift.DriftRunListener;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns drift runs into notifications without repeating itself: one when a variant's alert fires, a
 * re-send every {@code resendInterval} while it keeps firing (Alertmanager forgets alerts that are not
 * re-sent before their {@code endsAt}), and one when it resolves. The rule's hysteresis
 * ({@code DriftAlertRule}) decides when that is; windows that could not be judged keep a firing alert
 * alive. Runs arrive on the monitor's thread one at a time, so the state needs no locking; delivery is
 * asynchronous and never blocks that thread.
 */
public final class AlertDispatcher implements DriftRunListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    /**
     * A firing alert's {@code endsAt} lies this many re-send intervals ahead, as Prometheus does: a
     * late re-send does not make it flap, a gateway that died does not leave it firing for ever.
     */
    static final int ENDS_AT_RESENDS = 4;

    private record Active(Instant startsAt, Instant lastSent, DriftAlert last) {}

    private final List<AlertChannel> channels;
    private final Duration resendInterval;
    private final String dashboardTemplate;
    private final Clock clock;
    private final Map<String, Active> active = new HashMap<>();

    /** @param dashboardTemplate URL with {@code {model}} and {@code {variant}} placeholders; empty for none */
    public AlertDispatcher(List<AlertChannel> channels, Duration resendInterval, String dashboardTemplate, Clock clock) {
        this.channels = List.copyOf(channels);
        this.resendInterval = resendInterval;
        this.dashboardTemplate = dashboardTemplate;
        this.clock = clock;
    }

    @Override
    public void onRun(DriftRun run) {
        String key = run.model() + '\u0000' + run.variant();
        Instant now = clock.instant();
        Active current = active.get(key);
        if (run.transition() == AlertTransition.FIRED) {
            DriftAlert alert = firing(run, now, now, null);
            active.put(key, new Active(now, now, alert));
            send(alert);
        } else if (run.transition() == AlertTransition.RESOLVED) {
            // without a record (the alert fired before this process took over) the resolution is
            // still sent: Alertmanager resolves the alert with the same labels
            active.remove(key);
            Instant startsAt = current == null ? now : current.startsAt();
            send(new DriftAlert(run.model(), run.variant(), false, startsAt, now, run.window(), List.of(), share(run),
                    run.dataset().map(DatasetDrift::shareThreshold).orElse(Double.NaN), dashboardUrl(run)));
        } else if (run.alertState().state() == AlertState.FIRING && current == null) {
            // firing since before this process judged the variant (restart, or taken over from
            // another replica): announce it again; Alertmanager merges it with the one it knows
            DriftAlert alert = firing(run, now, now, null);
            active.put(key, new Active(now, now, alert));
            send(alert);
        } else if (run.alertState().state() == AlertState.FIRING
                && !now.isBefore(current.lastSent().plus(resendInterval))) {
            DriftAlert alert = firing(run, current.startsAt(), now, current.last());
            active.put(key, new Active(current.startsAt(), now, alert));
            send(alert);
        }
    }

    /**
     * The dispatcher for the configured channels, sharing one HTTP client that lives as long as
     * {@code vertx}.
     */
    public static AlertDispatcher create(Vertx vertx, AlertsConfig config) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setUserAgent("modelgate"));
        return new AlertDispatcher(AlertChannels.create(vertx, client, config, RetryPolicy.defaults()), config.resendInterval(),
                config.dashboardUrlTemplate(), Clock.systemUTC());
    }

    /** Variants whose alert this dispatcher considers firing. */
    public int firingCount() {
        return active.size();
    }

    /** A firing notification; a run that could not be evaluated repeats the previous details. */
    private DriftAlert firing(DriftRun run, Instant startsAt, Instant now, DriftAlert previous) {
        Instant endsAt = now.plus(resendInterval.multipliedBy(ENDS_AT_RESENDS));
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
        for (AlertChannel channel : channels) {
            channel.deliver(alert).onFailure(e -> LOG.debug("{}: {}", channel.name(), e.getMessage()));
        }
    }
}
