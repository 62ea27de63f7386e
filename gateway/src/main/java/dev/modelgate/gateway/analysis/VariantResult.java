package dev.modelgate.gateway.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * One variant on one metric.
 *
 * @param estimate   conversion rate (binary) or mean per unit (continuous); NaN without units
 * @param comparison against the control; empty for the control itself and while either arm has too
 *                   few units (binary: 1, continuous: 2 and some variance)
 */
public record VariantResult(String variant, boolean control, long n, double estimate, Optional<Comparison> comparison) {

    public VariantResult {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(comparison, "comparison");
    }
}
