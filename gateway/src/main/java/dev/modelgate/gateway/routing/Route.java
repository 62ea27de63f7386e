package dev.modelgate.gateway.routing;

import dev.modelgate.gateway.serving.Variant;
import java.util.List;
import java.util.Locale;

/**
 * Where one request goes and why.
 *
 * @param experiment the routing experiment (A/B or canary) that claimed the request, or empty
 * @param variant    the variant assignment chose; it serves unless it fails and the model's fallback
 *                   chain answers
 * @param reason     hash, random, forced, targeted or default
 * @param shadows    copies to send off the response path
 */
public record Route(String experiment, Variant variant, String reason, List<ShadowTarget> shadows) {

    public static final String REASON_DEFAULT = "default";
    public static final String REASON_FALLBACK = "fallback";
    public static final String REASON_FORCED = "forced";

    public Route {
        shadows = List.copyOf(shadows);
    }

    static String reasonName(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
