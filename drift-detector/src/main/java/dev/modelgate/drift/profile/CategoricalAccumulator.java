package dev.modelgate.drift.profile;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

final class CategoricalAccumulator implements FeatureAccumulator {

    private final Map<String, Long> counts = new HashMap<>();
    private long count;
    private long missing;

    @Override
    public void accept(Object raw) {
        if (FeatureValues.isMissing(raw)) {
            missing++;
            return;
        }
        counts.merge(FeatureValues.category(raw), 1L, Long::sum);
        count++;
    }

    @Override
    public Optional<FeatureProfile> toProfile() {
        return count == 0 ? Optional.empty() : Optional.of(new CategoricalProfile(count, missing, counts));
    }
}
