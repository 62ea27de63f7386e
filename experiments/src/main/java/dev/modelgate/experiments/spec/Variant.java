package dev.modelgate.experiments.spec;

/**
 * A variant of an A/B experiment and its share of traffic.
 *
 * @param name   variant name (a registered model variant)
 * @param weight percent of traffic, in [0, 100] with 0.01 resolution
 */
public record Variant(String name, double weight) {

    public Variant {
        Checks.name("name", name);
        Checks.percent("weight", weight, 0.0);
    }
}
