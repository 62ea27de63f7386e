package dev.modelgate.gateway.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.drift.profile.ProfileMaps;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import dev.modelgate.gateway.telemetry.clickhouse.SqlLiterals;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reference profiles in ClickHouse ({@code reference_profiles}), so every replica and a restart see
 * the same reference; the latest row per model and variant wins. A profile holds each numeric
 * feature's reservoir sample (up to thousands of values), so it is cached and re-read only when a
 * newer one was stored. Blocking: call off the event loop.
 */
public final class ReferenceStore {

    private record Key(String model, String variant) {}

    private record Cached(long createdAtMillis, ReferenceProfile profile) {}

    private final ClickHouseConnection clickHouse;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final String table;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public ReferenceStore(ClickHouseConnection clickHouse, Clock clock) {
        this.clickHouse = clickHouse;
        this.clock = clock;
        this.table = clickHouse.settings().qualify(DriftTables.REFERENCE_PROFILES.name());
    }

    /** @param source where the reference came from, e.g. {@code upload} or {@code traffic:v1} */
    public void save(String model, String variant, String source, long rows, ReferenceProfile profile)
            throws ClickHouseCallException {
        long now = clock.millis();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("created_at", now / 1000);
        row.put("created_at_ms", now);
        row.put("model", model);
        row.put("variant", variant);
        row.put("source", source);
        row.put("rows", rows);
        try {
            row.put("profile", json.writeValueAsString(ProfileMaps.toMap(profile)));
            clickHouse.insertJsonEachRow(table, new ByteArrayInputStream(json.writeValueAsBytes(row)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reference profile could not be written as JSON", e);
        }
        cache.put(new Key(model, variant), new Cached(now, profile));
    }

    /** The latest stored reference of the variant, if any. */
    public Optional<ReferenceProfile> latest(String model, String variant) throws ClickHouseCallException {
        Key key = new Key(model, variant);
        String where = " WHERE model = " + SqlLiterals.quote(model) + " AND variant = " + SqlLiterals.quote(variant);
        var newest = clickHouse.query("SELECT max(created_at_ms) AS t, count() AS n FROM " + table + where);
        if (newest.isEmpty() || newest.get(0).path("n").asLong() == 0) {
            return Optional.empty();
        }
        long createdAt = newest.get(0).path("t").asLong();
        Cached cached = cache.get(key);
        if (cached != null && cached.createdAtMillis() >= createdAt) {
            return Optional.of(cached.profile());
        }
        var rows = clickHouse.query("SELECT profile FROM " + table + where + " AND created_at_ms = " + createdAt + " LIMIT 1");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        ReferenceProfile profile = parse(rows.get(0).path("profile").asText(), key);
        cache.put(key, new Cached(createdAt, profile));
        return Optional.of(profile);
    }

    @SuppressWarnings("unchecked")
    private ReferenceProfile parse(String text, Key key) {
        try {
            JsonNode tree = json.readTree(text);
            return ProfileMaps.fromMap(json.convertValue(tree, Map.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored reference of " + key.model() + "/" + key.variant() + " is unreadable: "
                    + e.getMessage(), e);
        }
    }
}
