package dev.modelgate.experiments.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * "When request attribute {@code attribute} is one of {@code values}, serve {@code variant}" — or, when
 * {@code variant} is empty, exclude the request from the experiment (it is served the default variant).
 * Attributes are request headers or parameters as the gateway flattens them; names match exactly.
 */
public record TargetingRule(String attribute, List<String> values, Optional<String> variant) {

    public TargetingRule {
        if (attribute == null || attribute.isBlank()) {
            throw new SpecValidationException("attribute", "must not be blank");
        }
        Checks.required("in", values);
        if (values.isEmpty()) {
            throw new SpecValidationException("in", "must list at least one value");
        }
        if (values.stream().anyMatch(Objects::isNull)) {
            throw new SpecValidationException("in", "must not contain null");
        }
        values = List.copyOf(values);
        Checks.required("variant", variant);
        variant.ifPresent(name -> Checks.name("variant", name));
    }

    public static TargetingRule route(String attribute, List<String> values, String variant) {
        return new TargetingRule(attribute, values, Optional.of(variant));
    }

    public static TargetingRule exclude(String attribute, List<String> values) {
        return new TargetingRule(attribute, values, Optional.empty());
    }

    public boolean excludes() {
        return variant.isEmpty();
    }

    public boolean matches(Map<String, String> attributes) {
        String value = attributes.get(attribute);
        return value != null && values.contains(value);
    }
}
