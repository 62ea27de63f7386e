package dev.modelgate.experiments.assignment;

import java.util.Map;
import java.util.Optional;

/**
 * What the gateway knows about a request when it asks for a variant.
 *
 * @param unitId        sticky key (X-Unit-Id or parameters.unit_id); empty = anonymous, random per request
 * @param attributes    headers / parameters that targeting rules may match, as the gateway names them
 * @param forcedVariant variant explicitly requested by a caller the gateway has authorised to force one
 */
public record AssignmentRequest(Optional<String> unitId, Map<String, String> attributes, Optional<String> forcedVariant) {

    public AssignmentRequest {
        if (unitId == null || attributes == null || forcedVariant == null) {
            throw new IllegalArgumentException("unitId, attributes and forcedVariant must not be null (use Optional.empty() / Map.of())");
        }
        unitId = unitId.filter(id -> !id.isEmpty());
        attributes = Map.copyOf(attributes);
    }

    public static AssignmentRequest forUnit(String unitId) {
        return new AssignmentRequest(Optional.of(unitId), Map.of(), Optional.empty());
    }

    public static AssignmentRequest anonymous() {
        return new AssignmentRequest(Optional.empty(), Map.of(), Optional.empty());
    }

    public AssignmentRequest withAttributes(Map<String, String> newAttributes) {
        return new AssignmentRequest(unitId, newAttributes, forcedVariant);
    }

    public AssignmentRequest forcing(String variant) {
        return new AssignmentRequest(unitId, attributes, Optional.of(variant));
    }
}
