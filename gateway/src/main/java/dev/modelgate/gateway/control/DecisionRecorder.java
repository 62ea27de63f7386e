package dev.modelgate.gateway.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.SpecWriter;
import dev.modelgate.gateway.state.StoredExperiment;
import dev.modelgate.gateway.telemetry.ExperimentDecision;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes the audit trail of experiments to {@code experiment_decisions}: every admin change (who, when,
 * old → new spec) and every canary decision with its evidence.
 */
public final class DecisionRecorder {

    private final ObjectMapper json = new ObjectMapper();
    private final Consumer<ExperimentDecision> sink;
    private final String instanceId;

    public DecisionRecorder(Consumer<ExperimentDecision> sink, String instanceId) {
        this.sink = sink;
        this.instanceId = instanceId;
    }

    /** {@code before} or {@code after} may be null (creation, deletion). */
    public void record(String action, String actor, String reason, Map<String, Object> evidence,
                       StoredExperiment before, StoredExperiment after, long nowMillis) {
        StoredExperiment subject = after != null ? after : before;
        double weight = subject.spec() instanceof CanarySpec && after != null
                ? after.canary().map(c -> c.weightPercent()).orElse(Double.NaN) : Double.NaN;
        sink.accept(new ExperimentDecision(UUID.randomUUID().toString(), nowMillis, subject.name(), subject.spec().model(),
                subject.spec().kind().name().toLowerCase(java.util.Locale.ROOT), action, actor, reason == null ? "" : reason,
                evidence == null ? "" : text(evidence), before == null ? "" : text(SpecWriter.toMap(before.spec())),
                after == null ? "" : text(SpecWriter.toMap(after.spec())), weight, instanceId));
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
