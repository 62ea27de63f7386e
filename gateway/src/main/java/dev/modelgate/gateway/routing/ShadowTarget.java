package dev.modelgate.gateway.routing;

import dev.modelgate.gateway.serving.Variant;

/** One shadow copy of a request: which shadow experiment asked for it, the variant, and its budget. */
public record ShadowTarget(String experiment, Variant variant, ShadowBudgetGate budget) {}
