package dev.modelgate.gateway.drift;

import dev.modelgate.drift.evaluate.CurrentWindow;
import dev.modelgate.drift.evaluate.DatasetDrift;
import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.evaluate.DriftSettings;
import dev.modelgate.drift.evaluate.FeatureHistogram;
import dev.modelgate.drift.evaluate.MethodSelector;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.drift.rules.AlertTransition;
import dev.modelgate.drift.rules.DriftAlertRule;
import dev.modelgate.drift.rules.RuleOutcome;
import dev.modelgate.drift.rules.RuleSettings;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.config.DriftConfig;
import dev.modelgate.gateway.control.MonitorThread;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares every watched variant's latest window with its reference, on a schedule and on demand.
 *
 * <p>All runs, scheduled or requested, execute on the monitor's own single thread: never on an event
 * loop (they wait for ClickHouse), and one at a time, so each variant's {@link DriftAlertRule} sees
 * its windows in order without locks. Scheduled runs happen only while {@code isLeader} says so, so
 * a fleet judges each window once; on-demand runs always execute, since an operator asked for them.
 * A window that cannot be judged (no reference, too few values, ClickHouse unavailable) is UNKNOWN,
 * never "no drift": the rule neither fires nor resolves on it.
 */
public final class DriftMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    private static final int REASON_CHARS = 200;
    /** Runs replayed into a new rule: far more than any sensible fire_after/resolve_after. */
    private static final int HISTORY_RUNS = 100;

    private final Map<String, List<DriftTarget>> targetsByModel;
    private final ReferenceStore references;
    private final WindowReader reader;
    private final VerdictHistory history;
    private final DriftConfig config;
    private final DatasetDriftEvaluator evaluator;
    private final MethodSelector selector;
    private final RuleSettings ruleSettings;
    private final Consumer<DriftReportRow> reports;
    private final DriftMetrics metrics;
    private final DriftRunListener listener;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final String instanceId;
    private final MonitorThread thread = new MonitorThread("modelgate-drift-monitor");
    // touched only on the monitor thread
    private final Map<String, DriftAlertRule> rules = new ConcurrentHashMap<>();
    private final Map<String, DriftRun> lastRuns = new ConcurrentHashMap<>();
    /** Per target, the reference and current histograms of its last compared window (only on the replica that ran it). */
    private final Map<String, WindowHistograms> lastHistograms = new ConcurrentHashMap<>();

    /** The histograms of one run's window, by feature name. */
    public record WindowHistograms(String runId, DriftWindow window, List<FeatureHistogram> features) {}

    /**
     * @param history earlier verdicts, replayed into a variant's rule when this monitor first runs it
     * @param reports where report rows go (the no-loss batch writer's {@code offer})
     * @param isLeader whether this replica runs the schedule; consulted before every scheduled round
     */
    DriftMonitor(List<DriftTarget> targets, ReferenceStore references, WindowReader reader, VerdictHistory history,
                 DriftConfig config, Consumer<DriftReportRow> reports, DriftMetrics metrics, DriftRunListener listener,
                 BooleanSupplier isLeader, Clock clock, String instanceId) {
        Map<String, List<DriftTarget>> byModel = new ConcurrentHashMap<>();
        targets.forEach(t -> byModel.computeIfAbsent(t.model(), m -> new ArrayList<>()).add(t));
        this.targetsByModel = byModel;
        this.references = references;
        this.reader = reader;
        this.history = history;
        this.config = config;
        DriftSettings settings = new DriftSettings(DriftSettings.DEFAULT_SMALL_SAMPLE_LIMIT, config.shareThreshold(), config.methods());
        this.evaluator = new DatasetDriftEvaluator(settings);
        this.selector = new MethodSelector(settings);
        this.ruleSettings = new RuleSettings(config.minSamples(), config.fireAfter(), config.resolveAfter());
        this.reports = reports;
        this.metrics = metrics;
        this.listener = listener;
        this.isLeader = isLeader;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** Starts the schedule when {@code drift.enabled}; the first round runs one interval after start. */
    public void start() {
        if (!config.enabled()) {
            LOG.info("drift monitor: scheduled runs disabled (drift.enabled=false); on-demand runs still work");
            return;
        }
        // another replica is judging the windows while this one follows: when it leads again, its
        // rules must be rebuilt from what was decided meanwhile, not resumed from stale streaks
        thread.schedule(config.interval(), isLeader, () -> targetsByModel.values().forEach(targets -> targets.forEach(this::run)),
                rules::clear);
    }

    public boolean watches(String model) {
        return targetsByModel.containsKey(model);
    }

    public List<DriftTarget> targets(String model) {
        return targetsByModel.getOrDefault(model, List.of());
    }

    /** Runs every variant of the model now, on the monitor thread; completes with one run per variant. */
    public CompletableFuture<List<DriftRun>> runNow(String model) {
        return thread.submit(() -> {
            List<DriftRun> runs = new ArrayList<>();
            targets(model).forEach(target -> runs.add(run(target)));
            return runs;
        });
    }

    /** The histograms of the last window this replica compared for the variant, if any. */
    public Optional<WindowHistograms> lastHistograms(String model, String variant) {
        return targets(model).stream().filter(t -> t.variant().equals(variant)).findFirst()
                .flatMap(t -> Optional.ofNullable(lastHistograms.get(key(t))));
    }

    /** Keeps the window's histograms for the console; they only illustrate, so a failure here never fails the run. */
    private void keepHistograms(DriftTarget target, String runId, DriftWindow window, ReferenceProfile reference, CurrentWindow current) {
        try {
            List<FeatureHistogram> histograms = new ArrayList<>();
            reference.features().forEach((feature, profile) -> {
                FeatureHistogram histogram = FeatureHistogram.of(feature, profile, current);
                if (histogram != null) {
                    histograms.add(histogram);
                }
            });
            lastHistograms.put(key(target), new WindowHistograms(runId, window, histograms));
        } catch (RuntimeException e) {
            LOG.warn("histograms of {}/{} not kept", target.model(), target.variant(), e);
        }
    }

    /** The last run of each variant of the model done by this replica (empty after a restart). */
    public List<DriftRun> lastRuns(String model) {
        List<DriftRun> runs = new ArrayList<>();
        targets(model).forEach(t -> Optional.ofNullable(lastRuns.get(key(t))).ifPresent(runs::add));
        return runs;
    }

    private DriftRun run(DriftTarget target) {
        // milliseconds, as drift_reports stores the time: a run read back reads the same
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DriftWindow window = DriftWindow.ending(now, config.window());
        DriftAlertRule rule = rules.computeIfAbsent(key(target), k -> restoredRule(target));
        String runId = UUID.randomUUID().toString();
        Optional<ReferenceProfile> reference;
        try {
            reference = references.latest(target.model(), target.variant());
        } catch (ClickHouseCallException e) {
            return finish(target, runId, now, window, Optional.empty(), rule.observeUnknown(), unavailable(e));
        } catch (RuntimeException e) {
            LOG.error("the stored reference of {}/{} cannot be read", target.model(), target.variant(), e);
            return finish(target, runId, now, window, Optional.empty(), rule.observeUnknown(), "reference unreadable: " + e.getMessage());
        }
        if (reference.isEmpty()) {
            // nothing to compare with is not a monitoring outage: no report, no metric, no rule step
            DriftRun run = new DriftRun(runId, target.model(), target.variant(), now, window, WindowVerdict.UNKNOWN,
                    Optional.empty(), "no reference profile: PUT /admin/models/" + target.model() + "/reference", rule.state(),
                    AlertTransition.NONE);
            lastRuns.put(key(target), run);
            return run;
        }
        DatasetDrift dataset;
        try {
            CurrentWindow current = reader.read(target, reference.get(), window, selector);
            dataset = evaluator.evaluate(reference.get(), current);
            keepHistograms(target, runId, window, reference.get(), current);
        } catch (ClickHouseCallException e) {
            return finish(target, runId, now, window, Optional.empty(), rule.observeUnknown(), unavailable(e));
        } catch (RuntimeException e) {
            LOG.warn("drift run of {}/{} failed", target.model(), target.variant(), e);
            return finish(target, runId, now, window, Optional.empty(), rule.observeUnknown(), "evaluation failed: " + e.getMessage());
        }
        RuleOutcome outcome = rule.observe(dataset.smallestCurrentSize(), dataset.drifted());
        String reason = outcome.verdict() == WindowVerdict.UNKNOWN
                ? "too few values: " + dataset.smallestCurrentSize() + " < drift.min_samples " + config.minSamples()
                : "";
        return finish(target, runId, now, window, Optional.of(dataset), outcome, reason);
    }

    private DriftRun finish(DriftTarget target, String runId, Instant now, DriftWindow window, Optional<DatasetDrift> dataset,
                            RuleOutcome outcome, String reason) {
        DriftRun run = new DriftRun(runId, target.model(), target.variant(), now, window, outcome.verdict(), dataset, reason,
                outcome.state(), outcome.transition());
        lastRuns.put(key(target), run);
        DriftReports.rows(run, instanceId).forEach(reports);
        metrics.record(run);
        try {
            listener.onRun(run);
        } catch (RuntimeException e) {
            LOG.error("drift run listener failed for {}/{}", run.model(), run.variant(), e);
        }
        return run;
    }

    /** A rule that has seen the variant's stored verdicts; a fresh one when they cannot be read. */
    private DriftAlertRule restoredRule(DriftTarget target) {
        try {
            return DriftAlertRule.replaying(ruleSettings, history.latest(target.model(), target.variant(), HISTORY_RUNS));
        } catch (ClickHouseCallException e) {
            LOG.warn("drift history of {}/{} unavailable ({}); its alert rule starts afresh", target.model(), target.variant(),
                    e.getMessage());
            return new DriftAlertRule(ruleSettings);
        }
    }

    /**
     * The reason shown for an outage. A failed call's message starts with its SQL, which for a
     * window query is kilobytes of edges; the end says what went wrong.
     */
    private static String unavailable(Exception e) {
        LOG.warn("drift run: ClickHouse call failed: {}", e.getMessage());
        String message = String.valueOf(e.getMessage());
        return "ClickHouse unavailable: " + (message.length() <= REASON_CHARS ? message
                : "..." + message.substring(message.length() - REASON_CHARS));
    }

    private static String key(DriftTarget target) {
        return target.model() + '\u0000' + target.variant();
    }

    @Override
    public void close() {
        thread.close();
    }
}
