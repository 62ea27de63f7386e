package dev.modelgate.gateway.alerts;

import dev.modelgate.drift.rules.AlertState;
import dev.modelgate.drift.rules.AlertTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When to notify about an alert rule's windows, whatever the alert: once when it fires, again every
 * {@code resendInterval} while it keeps firing (Alertmanager forgets alerts that are not re-sent
 * before their {@code endsAt}), and once when it resolves. Windows arrive one at a time from one
 * monitor thread, so the state needs no locking.
 *
 * @param <A> the notification type
 */
public final class AlertLifecycle<A> {

    /**
     * A firing alert's {@code endsAt} lies this many re-send intervals ahead, as Prometheus does: a
     * late re-send does not make it flap, a gateway that died does not leave it firing for ever.
     */
    public static final int ENDS_AT_RESENDS = 4;

    /** Builds the notifications; {@code previous} is the last one sent for this alert, or null. */
    public interface Notifications<A> {

        A firing(Instant startsAt, Instant endsAt, A previous);

        A resolved(Instant startsAt, Instant resolvedAt);
    }

    private record Active<A>(Instant startsAt, Instant lastSent, A last) {}

    private final Duration resendInterval;
    private final Clock clock;
    private final Map<String, Active<A>> active = new HashMap<>();

    public AlertLifecycle(Duration resendInterval, Clock clock) {
        this.resendInterval = resendInterval;
        this.clock = clock;
    }

    /** The notification one window calls for, if any. */
    public Optional<A> next(String key, AlertTransition transition, AlertState state, Notifications<A> notifications) {
        Instant now = clock.instant();
        Active<A> current = active.get(key);
        Instant endsAt = now.plus(resendInterval.multipliedBy(ENDS_AT_RESENDS));
        if (transition == AlertTransition.FIRED || state == AlertState.FIRING && current == null) {
            // fired now, or firing since before this process judged the variant (restart, or taken
            // over from another replica): announce it; Alertmanager merges it with the one it knows
            A alert = notifications.firing(now, endsAt, null);
            active.put(key, new Active<>(now, now, alert));
            return Optional.of(alert);
        }
        if (transition == AlertTransition.RESOLVED) {
            // without a record (the alert fired before this process took over) the resolution is
            // still sent: Alertmanager resolves the alert with the same labels
            active.remove(key);
            return Optional.of(notifications.resolved(current == null ? now : current.startsAt(), now));
        }
        if (state == AlertState.FIRING && !now.isBefore(current.lastSent().plus(resendInterval))) {
            A alert = notifications.firing(current.startsAt(), endsAt, current.last());
            active.put(key, new Active<>(current.startsAt(), now, alert));
            return Optional.of(alert);
        }
        return Optional.empty();
    }

    /** Alerts this process considers firing. */
    public int firingCount() {
        return active.size();
    }
}
