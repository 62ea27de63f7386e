package dev.modelgate.experiments.assignment;

import dev.modelgate.experiments.spec.Percent;
import dev.modelgate.experiments.spec.Variant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weights turned into contiguous bucket ranges, laid out so that ramping a variant moves as few units
 * as possible:
 * <ul>
 * <li>the <em>reservoir</em> (the default variant: control, baseline) owns the bottom of the bucket
 *     space, {@code [0, w0)};</li>
 * <li>the other variants are stacked from the top of the space downward in declaration order: the
 *     first owns {@code [10000 - w1, 10000)}, the next the range just below it, and so on.</li>
 * </ul>
 * Consequences: when the first non-default variant (a canary candidate, the treatment of an A/B test)
 * grows from 5 % to 20 % its range extends downward, so every unit it had stays, and the only units that
 * move come from the variant right below it (the reservoir in a two-variant experiment). In general a
 * change of variant k's weight moves only units of the variants stacked after k and of the reservoir,
 * so list the variant you intend to ramp first. Weight changes of the reservoir alone move nobody but
 * the boundary units. (A layout that is monotone for every weight change of three or more variants
 * cannot be built from contiguous ranges.)
 */
public final class BucketLayout {

    private final List<BucketRange> ranges;

    private BucketLayout(List<BucketRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param variants  weights in percent (basis-point resolution) summing to 100
     * @param reservoir name of the variant that owns the bottom of the space; must be among {@code variants}
     */
    public static BucketLayout of(List<Variant> variants, String reservoir) {
        int total = variants.stream().mapToInt(v -> Percent.toBasisPoints(v.weight())).sum();
        if (total != Bucketer.BUCKETS) {
            throw new IllegalArgumentException("weights must add up to 100 %, got " + total / 100.0 + " %");
        }
        Variant bottom = variants.stream().filter(v -> v.name().equals(reservoir)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("reservoir '" + reservoir + "' is not among the variants"));
        List<BucketRange> ranges = new ArrayList<>();
        addIfNotEmpty(ranges, reservoir, 0, Percent.toBasisPoints(bottom.weight()));
        int top = Bucketer.BUCKETS;
        for (Variant variant : variants) {
            if (variant != bottom) {
                int size = Percent.toBasisPoints(variant.weight());
                addIfNotEmpty(ranges, variant.name(), top - size, top);
                top -= size;
            }
        }
        ranges.sort(Comparator.comparingInt(BucketRange::from));
        return new BucketLayout(ranges);
    }

    private static void addIfNotEmpty(List<BucketRange> ranges, String variant, int from, int to) {
        if (from < to) {
            ranges.add(new BucketRange(variant, from, to));
        }
    }

    public String variantAt(int bucket) {
        for (BucketRange range : ranges) {
            if (range.contains(bucket)) {
                return range.variant();
            }
        }
        throw new IllegalArgumentException("bucket " + bucket + " is outside [0, " + Bucketer.BUCKETS + ")");
    }

    /** Non-empty ranges in bucket order, together covering every bucket exactly once. */
    public List<BucketRange> ranges() {
        return ranges;
    }
}
