package dev.modelgate.gateway.routing;

import dev.modelgate.gateway.serving.ServedModel;

/**
 * Chooses the variant for a request. With no experiment running on a model, every request goes to the
 * model's default variant; experiments (A/B, canary, shadow) plug in here.
 */
public final class RequestRouter {

    public Route route(ServedModel model, String unitId) {
        var variant = model.defaultVariant();
        return new Route("", variant.name(), variant, Route.REASON_DEFAULT);
    }
}
