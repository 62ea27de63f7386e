package dev.modelgate.gateway.routing;

import dev.modelgate.gateway.serving.Variant;

/**
 * Where one request goes and why.
 *
 * @param experiment      the experiment that claimed the request, or empty
 * @param assignedVariant the variant assignment chose (kept even when another variant ends up serving)
 * @param variant         the variant that serves it
 * @param reason          hash, forced, targeted, fallback or default
 */
public record Route(String experiment, String assignedVariant, Variant variant, String reason) {

    public static final String REASON_DEFAULT = "default";
}
