package dev.modelgate.gateway.routing;

import java.util.Map;
import java.util.Optional;

/**
 * What routing may look at: the sticky unit id, attributes for targeting rules (request headers in
 * lower case and the body's string parameters) and a forced variant from a caller allowed to force.
 */
public record RoutingRequest(Optional<String> unitId, Map<String, String> attributes, Optional<String> forcedVariant) {

    public RoutingRequest {
        attributes = Map.copyOf(attributes);
    }
}
