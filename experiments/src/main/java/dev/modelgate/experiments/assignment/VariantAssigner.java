package dev.modelgate.experiments.assignment;

import dev.modelgate.experiments.spec.AbSpec;
import dev.modelgate.experiments.spec.CanarySpec;
import dev.modelgate.experiments.spec.ExperimentSpec;
import dev.modelgate.experiments.spec.Percent;
import dev.modelgate.experiments.spec.ShadowSpec;
import dev.modelgate.experiments.spec.TargetingRule;
import dev.modelgate.experiments.spec.Variant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Answers "which variant for this request?" for one experiment. Built once per spec (and, for a canary,
 * per rollout weight) and then shared by every request: it is immutable, and thread-safe as long as the
 * random source is (pass {@code () -> ThreadLocalRandom.current().nextLong()} on event loops).
 *
 * <p>Precedence: forced variant, then (only while the experiment is RUNNING) targeting rules in order,
 * holdout, and finally the bucket layout. The holdout uses its own hash ({@code salt + "#holdout"}), so
 * it is independent of the variant bucket: changing the holdout share moves units in or out of the
 * holdout without changing the variant of any unit that stays in the experiment.
 */
public final class VariantAssigner {

    private static final String HOLDOUT_SALT_SUFFIX = "#holdout";

    private final ExperimentSpec spec;
    private final BucketLayout layout;
    private final List<TargetingRule> targeting;
    private final int holdoutBuckets;
    private final List<String> shadows;
    private final double shadowSampleRate;
    private final RandomGenerator random;

    private VariantAssigner(ExperimentSpec spec, BucketLayout layout, List<TargetingRule> targeting, double holdoutPercent,
                            List<String> shadows, double shadowSampleRate, RandomGenerator random) {
        if (random == null) {
            throw new IllegalArgumentException("random source is required");
        }
        this.spec = spec;
        this.layout = layout;
        this.targeting = targeting;
        this.holdoutBuckets = Percent.toBasisPoints(holdoutPercent);
        this.shadows = shadows;
        this.shadowSampleRate = shadowSampleRate;
        this.random = random;
    }

    public static VariantAssigner forAb(AbSpec spec, RandomGenerator random) {
        return new VariantAssigner(spec, BucketLayout.of(spec.variants(), spec.defaultVariant()),
                spec.targeting(), spec.holdoutPercent(), List.of(), 0.0, random);
    }

    /**
     * @param candidatePercent the candidate's current share (the canary state's weight), basis-point resolution
     */
    public static VariantAssigner forCanary(CanarySpec spec, double candidatePercent, RandomGenerator random) {
        if (!(candidatePercent >= 0.0 && candidatePercent <= 100.0)) {
            throw new IllegalArgumentException("candidate percent must be in [0, 100], got " + candidatePercent);
        }
        // The baseline is the reservoir, so the candidate grows from the top of the bucket space downward.
        List<Variant> split = List.of(new Variant(spec.baseline(), 100.0 - candidatePercent),
                new Variant(spec.candidate(), candidatePercent));
        return new VariantAssigner(spec, BucketLayout.of(split, spec.baseline()), List.of(), 0.0, List.of(), 0.0, random);
    }

    public static VariantAssigner forShadow(ShadowSpec spec, RandomGenerator random) {
        return new VariantAssigner(spec, BucketLayout.of(List.of(new Variant(spec.primary(), 100.0)), spec.primary()),
                List.of(), 0.0, spec.shadows(), spec.sampleRate(), random);
    }

    /**
     * @throws IllegalArgumentException if the forced variant is not one this experiment can serve
     */
    public Assignment assign(AssignmentRequest request) {
        Optional<String> unit = request.unitId();
        int bucket = unit.map(id -> Bucketer.bucket(spec.salt(), id)).orElseGet(() -> random.nextInt(Bucketer.BUCKETS));
        if (request.forcedVariant().isPresent()) {
            return forced(request.forcedVariant().get(), bucket);
        }
        if (!spec.meta().isRunning()) {
            return assignment(spec.defaultVariant(), bucket, AssignmentReason.DEFAULT, List.of());
        }
        for (TargetingRule rule : targeting) {
            if (rule.matches(request.attributes())) {
                return rule.variant()
                        .map(variant -> assignment(variant, bucket, AssignmentReason.TARGETED, List.of()))
                        .orElseGet(() -> assignment(spec.defaultVariant(), bucket, AssignmentReason.DEFAULT, List.of()));
            }
        }
        if (isHeldOut(unit)) {
            return assignment(spec.defaultVariant(), bucket, AssignmentReason.DEFAULT, List.of());
        }
        AssignmentReason reason = unit.isPresent() ? AssignmentReason.HASH : AssignmentReason.RANDOM;
        return assignment(layout.variantAt(bucket), bucket, reason, sampledShadows());
    }

    /** Whether {@link #assign} may read the request's attributes: only targeting rules do. */
    public boolean readsAttributes() {
        return !targeting.isEmpty();
    }

    /** The bucket layout this assigner applies (for the admin API and audits). */
    public BucketLayout layout() {
        return layout;
    }

    private Assignment forced(String variant, int bucket) {
        if (!spec.servingVariants().contains(variant)) {
            throw new IllegalArgumentException("forced variant '" + variant + "' is not served by experiment '"
                    + spec.name() + "'; expected one of " + spec.servingVariants());
        }
        return assignment(variant, bucket, AssignmentReason.FORCED, List.of());
    }

    private boolean isHeldOut(Optional<String> unit) {
        if (holdoutBuckets == 0) {
            return false;
        }
        int holdoutBucket = unit.map(id -> Bucketer.bucket(spec.salt() + HOLDOUT_SALT_SUFFIX, id))
                .orElseGet(() -> random.nextInt(Bucketer.BUCKETS));
        return holdoutBucket < holdoutBuckets;
    }

    private List<String> sampledShadows() {
        if (shadows.isEmpty() || !(random.nextDouble() < shadowSampleRate)) {
            return List.of();
        }
        return shadows;
    }

    private Assignment assignment(String variant, int bucket, AssignmentReason reason, List<String> shadowCopies) {
        return new Assignment(spec.name(), variant, bucket, reason, shadowCopies);
    }
}
