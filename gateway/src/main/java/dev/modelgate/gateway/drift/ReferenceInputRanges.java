package dev.modelgate.gateway.drift;

import dev.modelgate.drift.profile.FeatureProfile;
import dev.modelgate.drift.profile.NumericProfile;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.probing.InputRanges;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probing monitor's view of the drift references: for a model's default variant, the [min, max] of
 * each numeric column of its stored reference profile, by column position (names as the logger and the
 * drift monitor give them). Read from ClickHouse at most once per {@code refreshMillis} per input;
 * columns without a numeric profile cover everything. Blocking: the monitor calls it on a worker.
 */
public final class ReferenceInputRanges implements InputRanges {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceInputRanges.class);

    private record Key(String model, String tensor, int width) {}

    private record Loaded(long atMillis, double[][] ranges) {}

    private final ReferenceStore references;
    private final ModelRegistry models;
    private final FeatureColumns naming;
    private final Clock clock;
    private final long refreshMillis;
    private final Map<Key, Loaded> cache = new ConcurrentHashMap<>();

    public ReferenceInputRanges(ReferenceStore references, ModelRegistry models, FeatureColumns naming, Clock clock,
                                long refreshMillis) {
        this.references = references;
        this.models = models;
        this.naming = naming;
        this.clock = clock;
        this.refreshMillis = refreshMillis;
    }

    @Override
    public double[][] of(String model, String tensor, int width) {
        Key key = new Key(model, tensor, width);
        Loaded loaded = cache.get(key);
        long now = clock.millis();
        if (loaded == null || now - loaded.atMillis() >= refreshMillis) {
            loaded = new Loaded(now, load(key));
            cache.put(key, loaded);
        }
        return loaded.ranges();
    }

    private double[][] load(Key key) {
        Optional<ServedModel> model = models.find(key.model());
        if (model.isEmpty()) {
            return null;
        }
        Optional<ReferenceProfile> profile;
        try {
            profile = references.latest(key.model(), model.get().defaultVariant().name());
        } catch (ClickHouseCallException | RuntimeException e) {
            LOG.warn("probing monitor: reference of {} unreadable ({}); inputs are not checked against it", key.model(), e.toString());
            return null;
        }
        if (profile.isEmpty()) {
            return null;
        }
        List<String> names = naming.of(key.tensor(), new long[] {1, key.width()},
                model.get().defaultVariant().config().featureNames()).names();
        double[][] ranges = new double[key.width()][];
        for (int i = 0; i < key.width(); i++) {
            FeatureProfile feature = profile.get().features().get(names.get(i));
            ranges[i] = feature instanceof NumericProfile numeric
                    ? new double[] {numeric.min(), numeric.max()}
                    : new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        return ranges;
    }
}
