package dev.modelgate.drift.profile;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

final class NumericAccumulator implements FeatureAccumulator {

    private final String feature;
    private final int binCount;
    private final SummaryStatistics moments = new SummaryStatistics();
    private final Reservoir reservoir;
    /** Exact counts while at most two distinct values have been seen; null once a third appears. */
    private Map<Double, Long> fewValues = new HashMap<>();
    private long missing;

    NumericAccumulator(String feature, ProfilerSettings settings, RandomGenerator random) {
        this.feature = feature;
        this.binCount = settings.binCount();
        this.reservoir = new Reservoir(settings.reservoirCapacity(), random);
    }

    @Override
    public void accept(Object raw) {
        if (FeatureValues.isMissing(raw)) {
            missing++;
            return;
        }
        double value = FeatureValues.numeric(feature, raw);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("feature '" + feature + "' must be finite, got " + value);
        }
        moments.addValue(value);
        reservoir.offer(value);
        if (fewValues != null) {
            fewValues.merge(value == 0.0 ? 0.0 : value, 1L, Long::sum); // one key for -0.0 and 0.0
            if (fewValues.size() > 2) {
                fewValues = null;
            }
        }
    }

    @Override
    public Optional<FeatureProfile> toProfile() {
        if (moments.getN() == 0) {
            return Optional.empty();
        }
        double[] sample = reservoir.snapshot();
        double[] edges = QuantileBins.edges(sample, binCount);
        List<Long> binCounts = Arrays.stream(QuantileBins.counts(sample, edges)).boxed().collect(Collectors.toList());
        return Optional.of(new NumericProfile(moments.getN(), missing, moments.getMean(),
                Math.sqrt(moments.getPopulationVariance()), moments.getMin(), moments.getMax(),
                Arrays.stream(edges).boxed().collect(Collectors.toList()), binCounts,
                Arrays.stream(sample).boxed().collect(Collectors.toList()),
                fewValues == null ? Map.of() : fewValues));
    }
}
