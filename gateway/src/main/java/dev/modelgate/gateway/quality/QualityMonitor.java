package dev.modelgate.gateway.quality;

import dev.modelgate.drift.rules.DriftAlertRule;
import dev.modelgate.drift.rules.RuleOutcome;
import dev.modelgate.drift.rules.RuleSettings;
import dev.modelgate.drift.rules.WindowVerdict;
import dev.modelgate.gateway.config.QualityConfig;
import dev.modelgate.gateway.control.MonitorThread;
import dev.modelgate.gateway.drift.DriftWindow;
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
 * Evaluates every monitored variant's windows, on a schedule and on demand, and turns the verdicts
 * into alerts with the drift monitor's k-window rule ({@link DriftAlertRule}: fire after
 * {@code fire_after} degraded windows in a row, resolve after {@code resolve_after} healthy ones,
 * windows that cannot be judged change nothing). A variant's rule starts from its stored verdicts,
 * so a restart or a new leader continues the streaks.
 *
 * <p>All runs execute on the monitor's own thread: never on an event loop (they wait for
 * ClickHouse), and one at a time, so each variant's rule sees its windows in order without locks.
 * Scheduled runs happen only while {@code isLeader} says so; on-demand runs always execute.
 */
final class QualityMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QualityMonitor.class);
    /** Runs replayed into a new rule: far more than any sensible fire_after/resolve_after. */
    private static final int HISTORY_RUNS = 100;

    private final Map<String, List<QualityTarget>> targetsByModel = new ConcurrentHashMap<>();
    private final QualityReader reader;
    private final BaselineStore baselines;
    private final QualityHistory history;
    private final QualityConfig config;
    private final QualityJudge judge;
    private final RuleSettings ruleSettings;
    private final Consumer<QualityRun> listener;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final MonitorThread thread = new MonitorThread("modelgate-quality-monitor");
    // touched only on the monitor thread
    private final Map<String, DriftAlertRule> rules = new ConcurrentHashMap<>();
    private final Map<String, QualityRun> lastRuns = new ConcurrentHashMap<>();

    /** @param listener told about every run (reports, gauges, alerts), on the monitor thread */
    QualityMonitor(List<QualityTarget> targets, QualityReader reader, BaselineStore baselines, QualityHistory history,
                   QualityConfig config, Consumer<QualityRun> listener, BooleanSupplier isLeader, Clock clock) {
        targets.forEach(t -> targetsByModel.computeIfAbsent(t.model(), m -> new ArrayList<>()).add(t));
        this.reader = reader;
        this.baselines = baselines;
        this.history = history;
        this.config = config;
        this.judge = new QualityJudge(config.minSamples(), config.alpha());
        this.ruleSettings = new RuleSettings(config.minSamples(), config.fireAfter(), config.resolveAfter());
        this.listener = listener;
        this.isLeader = isLeader;
        this.clock = clock;
    }

    void start() {
        if (!config.enabled() || targetsByModel.isEmpty()) {
            return;
        }
        // a follower's rules would resume stale streaks when it leads again: it starts them afresh
        thread.schedule(config.interval(), isLeader, () -> targetsByModel.values().forEach(targets -> targets.forEach(this::run)),
                rules::clear);
    }

    List<QualityTarget> targets(String model) {
        return targetsByModel.getOrDefault(model, List.of());
    }

    CompletableFuture<List<QualityRun>> runNow(String model) {
        return thread.submit(() -> targets(model).stream().map(this::run).toList());
    }

    List<QualityRun> lastRuns(String model) {
        List<QualityRun> runs = new ArrayList<>();
        targets(model).forEach(t -> Optional.ofNullable(lastRuns.get(key(t))).ifPresent(runs::add));
        return runs;
    }

    private QualityRun run(QualityTarget target) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DriftWindow labelled = DriftWindow.ending(now.minus(target.spec().labelDelay()), target.spec().window());
        DriftWindow current = DriftWindow.ending(now, target.spec().window());
        DriftAlertRule rule = rules.computeIfAbsent(key(target), k -> restoredRule(target));
        String metric = target.spec().alertMetric();
        MetricSet realised = MetricSet.EMPTY;
        Optional<MetricSet> estimated = Optional.empty();
        Optional<MetricSet> estimatedCurrent = Optional.empty();
        Optional<Baseline> baseline = Optional.empty();
        Judgement judgement;
        try {
            baseline = baselines.latest(target.model(), target.variant());
            realised = reader.realised(target, labelled);
            estimated = reader.estimated(target, labelled);
            estimatedCurrent = labelled.equals(current) ? estimated : reader.estimated(target, current);
            judgement = judge.judge(metric, realised, estimatedCurrent, baseline);
        } catch (ClickHouseCallException e) {
            LOG.warn("quality run of {}/{}: ClickHouse call failed: {}", target.model(), target.variant(), e.getMessage());
            judgement = Judgement.unknown(metric, "ClickHouse unavailable");
        } catch (RuntimeException e) {
            LOG.warn("quality run of {}/{} failed", target.model(), target.variant(), e);
            judgement = Judgement.unknown(metric, "evaluation failed: " + e.getMessage());
        }
        RuleOutcome outcome = judgement.verdict() == WindowVerdict.UNKNOWN ? rule.observeUnknown()
                // the judge already applied the minimum sample
                : rule.observe(Long.MAX_VALUE, judgement.verdict() == WindowVerdict.DRIFT);
        QualityRun run = new QualityRun(UUID.randomUUID().toString(), target, now, labelled, current, realised, estimated,
                estimatedCurrent, baseline, judgement, outcome.state(), outcome.transition());
        lastRuns.put(key(target), run);
        try {
            listener.accept(run);
        } catch (RuntimeException e) {
            LOG.error("quality run listener failed for {}/{}", run.model(), run.variant(), e);
        }
        return run;
    }

    /** A rule that has seen the variant's stored verdicts (a restart, a new leader); a fresh one when they cannot be read. */
    private DriftAlertRule restoredRule(QualityTarget target) {
        try {
            return DriftAlertRule.replaying(ruleSettings, history.verdicts(target.model(), target.variant(), HISTORY_RUNS));
        } catch (ClickHouseCallException e) {
            LOG.warn("quality history of {}/{} unavailable ({}); its alert rule starts afresh", target.model(), target.variant(),
                    e.getMessage());
            return new DriftAlertRule(ruleSettings);
        }
    }

    private static String key(QualityTarget target) {
        return target.model() + '\u0000' + target.variant();
    }

    @Override
    public void close() {
        thread.close();
    }
}
