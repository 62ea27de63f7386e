package dev.modelgate.gateway.probing;

import dev.modelgate.gateway.config.AuthConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches each API key's inputs for the patterns of model extraction and probing. The request path
 * only appends the input to the key's current window ({@link #observe}: O(1), a bounded sample); every
 * window {@link #evaluate} (off the event loop) computes the {@link WindowSignals}, publishes the score as
 * {@code modelgate.keys.suspicion{key}}, reports every window a key is at or above the threshold (and
 * once when it falls below again), and marks it throttled while it stays above. A window with fewer than {@code min_requests} leaves the score as it was.
 */
public final class ProbingMonitor implements InputObserver {

    /** A key above the threshold in a window ({@code firing}), or back below it. */
    public record Flag(String key, boolean firing, WindowSignals signals, Instant at) {}

    private static final double HISTORY_WEIGHT = 0.3;

    private final AuthConfig.ProbingSettings settings;
    private final InputRanges references;
    private final Consumer<Flag> flags;
    private final MeterRegistry registry;
    private final Map<String, KeyWindow> keys = new ConcurrentHashMap<>();

    /**
     * @param references the reference data's range per input column (none: the out-of-range signal is 0)
     * @param flags      told of every window a key is above the threshold, and when it falls back below
     */
    public ProbingMonitor(AuthConfig.ProbingSettings settings, InputRanges references, Consumer<Flag> flags,
                          MeterRegistry registry) {
        this.settings = settings;
        this.references = references;
        this.flags = flags;
        this.registry = registry;
    }

    /** On the request path: one input vector of a served request of {@code key} to {@code model}. */
    @Override
    public void observe(String key, String model, String tensor, double[] features) {
        keys.computeIfAbsent(key, this::window).add(model, tensor, features, settings.maxSamples());
    }

    public boolean throttled(String key) {
        KeyWindow window = keys.get(key);
        return window != null && window.flagged && settings.throttleRate() > 0;
    }

    /** Closes every key's window and scores it; runs off the event loop. */
    public void evaluate(Instant now) {
        keys.forEach((key, window) -> {
            KeyWindow.Closed closed = window.close();
            if (closed.requests() < settings.minRequests()) {
                window.history = window.history * (1 - HISTORY_WEIGHT) + closed.requests() * HISTORY_WEIGHT;
                return;
            }
            // a key's usual volume is taken as at least min_requests: a new key's first busy window is no surge
            WindowSignals signals = WindowSignals.of(closed.requests(), Math.max(window.history, settings.minRequests()),
                    closed.samples(),
                    closed.samples().isEmpty() ? null : references.of(closed.model(), closed.tensor(), closed.samples().get(0).length));
            window.history = window.history == 0 ? closed.requests()
                    : window.history * (1 - HISTORY_WEIGHT) + closed.requests() * HISTORY_WEIGHT;
            window.last = signals;
            window.lastAt = now;
            boolean flagged = signals.suspicion() >= settings.threshold();
            boolean was = window.flagged;
            window.flagged = flagged;
            if (flagged || was) {
                flags.accept(new Flag(key, flagged, signals, now));
            }
        });
    }

    /** The last scored window of a key, for {@code GET /admin/keys/{name}}; empty before the first. */
    public JsonObject view(String key) {
        KeyWindow window = keys.get(key);
        if (window == null || window.last == null) {
            return new JsonObject();
        }
        WindowSignals s = window.last;
        return new JsonObject().put("suspicion", s.suspicion()).put("window_end", window.lastAt.toString())
                .put("requests", s.requests()).put("volume_ratio", s.volumeRatio()).put("out_of_range_share", s.outOfRangeShare())
                .put("one_feature_share", s.oneFeatureShare()).put("low_entropy", s.lowEntropy())
                .put("flagged", window.flagged).put("throttled", throttled(key));
    }

    private KeyWindow window(String key) {
        KeyWindow window = new KeyWindow();
        Gauge.builder("modelgate.keys.suspicion", window, w -> w.last == null ? 0 : w.last.suspicion()).tag("key", key)
                .description("the key's suspicion score (0-1) in its last window: probing / model extraction").register(registry);
        return window;
    }

    /** One key's open window and its history; appends are synchronized, the analysis works on a closed copy. */
    private static final class KeyWindow {
        record Closed(long requests, List<double[]> samples, String model, String tensor) {}

        private List<double[]> samples = new ArrayList<>();
        private long requests;
        private String model;
        private String tensor;
        volatile double history;
        volatile WindowSignals last;
        volatile Instant lastAt;
        volatile boolean flagged;

        synchronized void add(String model, String tensor, double[] features, int max) {
            requests++;
            // one model input per window: a key's inputs to different models are not comparable column by column
            if (this.model == null) {
                this.model = model;
                this.tensor = tensor;
            }
            if (samples.size() < max && model.equals(this.model) && tensor.equals(this.tensor)
                    && (samples.isEmpty() || samples.get(0).length == features.length)) {
                samples.add(features);
            }
        }

        synchronized Closed close() {
            Closed closed = new Closed(requests, samples, model, tensor);
            samples = new ArrayList<>();
            requests = 0;
            model = null;
            tensor = null;
            return closed;
        }
    }
}
