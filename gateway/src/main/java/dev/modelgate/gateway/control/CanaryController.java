package dev.modelgate.gateway.control;

import dev.modelgate.experiments.canary.CanaryAction;
import dev.modelgate.experiments.canary.CanaryDecision;
import dev.modelgate.experiments.canary.CanaryEvaluator;
import dev.modelgate.experiments.canary.CanaryEvidence;
import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.canary.GuardrailCheck;
import dev.modelgate.experiments.canary.MetricWindow;
import dev.modelgate.experiments.canary.VariantWindow;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentStatus;
import dev.modelgate.gateway.state.ExperimentStore;
import dev.modelgate.gateway.state.LeaderLease;
import dev.modelgate.gateway.state.StoredExperiment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic canary loop, on the leader only: for each progressing canary, read both variants'
 * windows since the step began (requests, errors, latency, and the spec's guardrail metrics over the
 * step's units), let {@link CanaryEvaluator} decide (advance, hold, roll back, promote),
 * persist the new state (every replica routes by it within a second), and record the decision with its
 * evidence. With too little data the evaluator holds; it never rolls back on noise.
 */
public final class CanaryController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryController.class);
    static final String ACTOR = "canary-controller";

    private final Vertx vertx;
    private final ExperimentStore store;
    private final LeaderLease lease;
    private final CanaryWindows windows;
    private final DecisionRecorder decisions;
    private final MeterRegistry registry;
    private final CanaryEvaluator evaluator = CanaryEvaluator.withDefaultAlpha();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Double> weights = new ConcurrentHashMap<>();
    private final long timer;

    public CanaryController(Vertx vertx, ExperimentStore store, LeaderLease lease, CanaryWindows windows,
                            DecisionRecorder decisions, Duration interval, MeterRegistry registry) {
        this.vertx = vertx;
        this.store = store;
        this.lease = lease;
        this.windows = windows;
        this.decisions = decisions;
        this.registry = registry;
        store.onChange(this::publishWeights);
        publishWeights();
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    }

    /** {@code modelgate_canary_weight_percent{experiment}}, on every replica, from its view of the store. */
    private void publishWeights() {
        store.all().values().forEach(e -> e.canary().ifPresent(state -> {
            if (weights.put(e.name(), state.weightPercent()) == null) {
                Gauge.builder("modelgate.canary.weight.percent", weights, w -> w.getOrDefault(e.name(), Double.NaN))
                        .description("The canary candidate's current share of traffic")
                        .tag("experiment", e.name()).register(registry);
            }
        }));
    }

    private void tick() {
        if (!lease.isLeader() || !running.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> {
            evaluateAll();
            return null;
        }, false).onComplete(ar -> {
            running.set(false);
            if (ar.failed()) {
                LOG.error("canary evaluation failed", ar.cause());
            }
        });
    }

    /**
     * One pass over every running canary whose rollout is not over. A finished one (promoted, rolled back)
     * has nothing left to decide: evaluating it would only replace its last decision, the one an operator
     * wants to read, with a "hold". Blocking (ClickHouse, store writes): runs on a worker.
     */
    void evaluateAll() throws Exception {
        for (StoredExperiment experiment : store.all().values()) {
            if (experiment.spec() instanceof CanarySpec spec && spec.status() == ExperimentStatus.RUNNING
                    && experiment.canary().filter(state -> !state.status().finished()).isPresent()) {
                evaluate(experiment, spec, experiment.canary().get());
            }
        }
    }

    private void evaluate(StoredExperiment experiment, CanarySpec spec, CanaryState state) throws Exception {
        Instant now = Instant.now();
        CanaryWindows.Windows observed = windows.read(spec, state.since().toEpochMilli(), now.toEpochMilli());
        CanaryDecision decision = evaluator.decide(spec, state, now, observed.baseline(), observed.candidate(),
                windows.guardrails(experiment));
        String action = decision.action().name().toLowerCase(Locale.ROOT);
        Counter.builder("modelgate.canary.decisions").description("Canary controller decisions")
                .tag("experiment", spec.name()).tag("action", action).register(registry).increment();
        Map<String, Object> evidence = evidence(decision.evidence(), observed.source());
        boolean stillHolding = decision.action() == CanaryAction.HOLD
                && experiment.lastDecision().map(last -> last.action().equals(action)).orElse(false);
        if (stillHolding) {
            // the audit trail gets every evaluation; the fleet only needs to hear about changes
            decisions.record(action, ACTOR, decision.reason(), evidence, experiment, experiment, now.toEpochMilli());
            return;
        }
        StoredExperiment.DecisionSummary summary = new StoredExperiment.DecisionSummary(action, decision.reason(), now);
        StoredExperiment updated = store.update(spec.name(), current -> Objects.equals(current.canary(), experiment.canary())
                ? current.withCanary(decision.next(), now, ACTOR, summary)
                : current).toCompletionStage().toCompletableFuture().get();
        if (!updated.canary().equals(Optional.of(decision.next()))) {
            LOG.info("canary '{}' was changed by an operator while it was evaluated; decision dropped", spec.name());
            return;
        }
        decisions.record(action, ACTOR, decision.reason(), evidence, experiment, updated, now.toEpochMilli());
        if (decision.action() != CanaryAction.HOLD) {
            LOG.info("canary '{}': {} to {}% — {}", spec.name(), action, decision.next().weightPercent(), decision.reason());
        }
    }

    static Map<String, Object> evidence(CanaryEvidence evidence, String source) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("baseline", window(evidence.baseline()));
        out.put("candidate", window(evidence.candidate()));
        out.put("time_in_step_seconds", evidence.timeInStep().toSeconds());
        out.put("min_step_duration_seconds", evidence.minStepDuration().toSeconds());
        out.put("min_requests_per_step", evidence.minRequestsPerStep());
        var errors = evidence.errorRate();
        Map<String, Object> errorRate = new LinkedHashMap<>();
        errorRate.put("baseline_percent", finite(errors.baselineErrorPercent()));
        errorRate.put("candidate_percent", finite(errors.candidateErrorPercent()));
        errorRate.put("increase_points", finite(errors.increasePoints()));
        errorRate.put("max_increase_points", errors.maxIncreasePoints());
        errorRate.put("z", finite(errors.zScore()));
        errorRate.put("p_value", finite(errors.pValue()));
        errorRate.put("alpha", errors.alpha());
        out.put("error_rate", errorRate);
        var latency = evidence.latency();
        out.put("latency", Map.of("baseline_p99_ms", finite(latency.baselineP99Ms()), "candidate_p99_ms", finite(latency.candidateP99Ms()),
                "ratio", finite(latency.ratio()), "max_ratio", latency.maxRatio()));
        out.put("guardrails", evidence.guardrails().stream().map(CanaryController::guardrail).toList());
        return out;
    }

    /** One guardrail metric: its verdict, and the comparison behind it when there was one. */
    private static Map<String, Object> guardrail(GuardrailCheck check) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", check.metric().name());
        out.put("kind", check.metric().kind().wireName());
        out.put("source", check.metric().source().wireName());
        out.put("direction", check.metric().direction().name().toLowerCase(Locale.ROOT));
        out.put("verdict", check.verdict().name().toLowerCase(Locale.ROOT));
        out.put("alpha", check.alpha());
        check.window().ifPresent(window -> {
            out.put("baseline", units(window.baseline()));
            out.put("candidate", units(window.candidate()));
        });
        check.result().ifPresent(result -> {
            out.put("estimate", result.absolute().estimate());
            out.put("confidence_sequence", List.of(result.absolute().interval().lower(), result.absolute().interval().upper()));
            out.put("p_value", result.pValue());
        });
        return out;
    }

    private static Map<String, Object> units(MetricWindow window) {
        return Map.of("units", window.units(), "mean", finite(window.mean()));
    }

    private static Map<String, Object> window(VariantWindow window) {
        return Map.of("requests", window.requests(), "errors", window.errors(), "p99_ms", finite(window.p99LatencyMs()));
    }

    /** JSON has no NaN: an undefined statistic (no requests yet) is written as the string "NaN". */
    private static Object finite(double value) {
        return Double.isFinite(value) ? value : "NaN";
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
