package dev.modelgate.gateway.routing;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What routing may look at: the sticky unit id, attributes for targeting rules (request headers in
 * lower case and the body's string parameters) and a forced variant from a caller allowed to force.
 *
 * @param attributes built only when an experiment of the model has targeting rules: gathering every
 *                   header into a map is most of what routing costs a request otherwise
 */
public record RoutingRequest(Optional<String> unitId, Supplier<Map<String, String>> attributes, Optional<String> forcedVariant) {

    /** A request that names its unit only (batch scoring: no headers, nothing forced). */
    public static RoutingRequest forUnit(String unitId) {
        return new RoutingRequest(Optional.ofNullable(unitId), Map::of, Optional.empty());
    }
}
