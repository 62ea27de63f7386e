package dev.modelgate.experiments.assignment;

import java.util.List;

/**
 * The variant chosen for one request.
 *
 * @param experiment experiment name
 * @param variant    variant to serve
 * @param bucket     the unit's hash bucket (or the request's random bucket) in [0, 10000), logged for audits
 * @param reason     why this variant
 * @param shadows    variants that should also receive a copy of this request (shadow experiments only;
 *                   the gateway still applies the shadow budget)
 */
public record Assignment(String experiment, String variant, int bucket, AssignmentReason reason, List<String> shadows) {

    public Assignment {
        if (experiment == null || variant == null || reason == null || shadows == null) {
            throw new IllegalArgumentException("experiment, variant, reason and shadows are required");
        }
        if (bucket < 0 || bucket >= Bucketer.BUCKETS) {
            throw new IllegalArgumentException("bucket must be in [0, " + Bucketer.BUCKETS + "), got " + bucket);
        }
        shadows = List.copyOf(shadows);
    }
}
