package dev.modelgate.gateway.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.experiments.canary.CanaryState;
import dev.modelgate.experiments.canary.CanaryStatus;
import dev.modelgate.experiments.spec.SpecParser;
import dev.modelgate.experiments.spec.SpecWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StoredExperiment} to and from JSON: the spec in the same snake_case form the admin API and
 * YAML use (so what Redis holds is readable and editable by hand), the rest beside it.
 */
public final class ExperimentCodec {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper mapper = new ObjectMapper();

    public Map<String, Object> toMap(StoredExperiment experiment) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spec", SpecWriter.toMap(experiment.spec()));
        experiment.canary().ifPresent(state -> out.put("canary", canaryToMap(state)));
        out.put("updated_at", experiment.updatedAt().toString());
        out.put("updated_by", experiment.updatedBy());
        out.put("revision", experiment.revision());
        experiment.lastDecision().ifPresent(d -> out.put("last_decision",
                Map.of("action", d.action(), "reason", d.reason(), "at", d.at().toString())));
        return out;
    }

    public static Map<String, Object> canaryToMap(CanaryState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step_index", state.stepIndex());
        out.put("weight_percent", state.weightPercent());
        out.put("since", state.since().toString());
        out.put("status", state.status().name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    public String toJson(StoredExperiment experiment) {
        try {
            return mapper.writeValueAsString(toMap(experiment));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise experiment " + experiment.name(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public StoredExperiment fromJson(String json) {
        Map<String, Object> tree;
        try {
            tree = mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored experiment is not valid JSON: " + e.getOriginalMessage(), e);
        }
        Optional<CanaryState> canary = Optional.ofNullable((Map<String, Object>) tree.get("canary")).map(c -> new CanaryState(
                ((Number) c.get("step_index")).intValue(),
                ((Number) c.get("weight_percent")).doubleValue(),
                Instant.parse((String) c.get("since")),
                CanaryStatus.valueOf(((String) c.get("status")).toUpperCase(java.util.Locale.ROOT))));
        Optional<StoredExperiment.DecisionSummary> decision = Optional.ofNullable((Map<String, Object>) tree.get("last_decision"))
                .map(d -> new StoredExperiment.DecisionSummary((String) d.get("action"), (String) d.get("reason"),
                        Instant.parse((String) d.get("at"))));
        // written before revisions existed: revision 0, older than any write
        long revision = tree.get("revision") instanceof Number n ? n.longValue() : 0;
        return new StoredExperiment(SpecParser.parse((Map<String, Object>) tree.get("spec")), canary,
                Instant.parse((String) tree.get("updated_at")), (String) tree.get("updated_by"), decision, revision);
    }
}
