package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Turns reference data (uploaded rows, or a variant's first logged traffic) into a profile per target
 * variant and stores it. Each variant gets its own profile because each validates the columns it logs.
 * Blocking: call off the event loop.
 */
final class ReferenceUploads {

    /** Bound on the rows read for a traffic reference: the profile keeps a 5,000-value reservoir anyway. */
    static final long MAX_TRAFFIC_ROWS = 200_000;

    /** What was stored. */
    record Stored(List<String> variants, long rows, List<String> features) {}

    private final ReferenceStore store;
    private final ClickHouseConnection clickHouse;
    private final PredictionQueries queries;
    private final FeatureMasks masks;

    ReferenceUploads(ReferenceStore store, ClickHouseConnection clickHouse, PredictionQueries queries, FeatureMasks masks) {
        this.store = store;
        this.clickHouse = clickHouse;
        this.queries = queries;
        this.masks = masks;
    }

    /**
     * Rows sent by a user, with the values of the model's protected features as sent: they are hashed
     * (or left out) as the prediction log holds them, so that traffic and reference are compared alike.
     *
     * @param rows feeds every row to the consumer it is given (a JSON or CSV reader)
     * @throws IllegalArgumentException naming the bad column or value
     */
    Stored uploaded(List<DriftTarget> targets, Consumer<Consumer<Map<String, Object>>> rows, String source)
            throws ClickHouseCallException {
        var mask = masks.forModel(targets.get(0).model());
        if (mask.isEmpty()) {
            return fromRows(targets, rows, source);
        }
        return fromRows(targets, sink -> rows.accept(row -> sink.accept(mask.get().apply(row))), source);
    }

    /** @param rows as the prediction log holds them */
    private Stored fromRows(List<DriftTarget> targets, Consumer<Consumer<Map<String, Object>>> rows, String source)
            throws ClickHouseCallException {
        List<ReferenceBuilder> builders = new ArrayList<>();
        targets.forEach(t -> builders.add(new ReferenceBuilder(t.columns(), new SplittableRandom())));
        rows.accept(row -> builders.forEach(b -> b.accept(row)));
        return store(targets, builders, source);
    }

    /**
     * The first {@code rows} rows (or those of the first {@code hours}) of {@code sourceVariant}'s logged
     * traffic, oldest first. Rows, not requests: a request of shape {@code [50, k]} is logged as one
     * prediction holding 50 rows. Every prediction holds at least one row, so reading {@code rows}
     * predictions always covers enough of them.
     */
    Stored fromTraffic(List<DriftTarget> targets, String model, String sourceVariant, long rows, long hours)
            throws ClickHouseCallException {
        long limit = rows > 0 ? Math.min(rows, MAX_TRAFFIC_ROWS) : MAX_TRAFFIC_ROWS;
        List<JsonNode> predictions = clickHouse.query(queries.firstPredictions(model, sourceVariant, limit, hours));
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("variant '" + sourceVariant + "' of model '" + model + "' has no logged traffic yet");
        }
        return fromRows(targets, sink -> TrafficRows.split(predictions, limit, sink), "traffic:" + sourceVariant);
    }

    private Stored store(List<DriftTarget> targets, List<ReferenceBuilder> builders, String source) throws ClickHouseCallException {
        List<ReferenceProfile> profiles = new ArrayList<>();
        builders.forEach(b -> profiles.add(b.build()));
        for (int i = 0; i < targets.size(); i++) {
            store.save(targets.get(i).model(), targets.get(i).variant(), source, builders.get(i).rows(), profiles.get(i));
        }
        return new Stored(targets.stream().map(DriftTarget::variant).toList(), builders.get(0).rows(),
                List.copyOf(profiles.get(0).features().keySet()));
    }
}
