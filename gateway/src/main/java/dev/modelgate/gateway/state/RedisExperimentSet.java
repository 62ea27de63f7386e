package dev.modelgate.gateway.state;

import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The experiment set as Redis holds it, read and written only by Lua scripts so that every step is
 * atomic: {@code <prefix>:experiments} (name → JSON, each with its revision), {@code
 * <prefix>:experiments:deleted} (tombstones, name → revision of the deletion) and {@code
 * <prefix>:experiments:version} ({@code epoch}, {@code revision}). A write is a compare-and-set on the
 * epoch and revision its change was computed from; a merge adds what a replica knows and the store does
 * not. Every change is announced on {@code <prefix>:experiments:changed}. Blocking: call off the event loop.
 */
final class RedisExperimentSet {

    /** What Redis holds; {@code epoch} is null when the store lost its data (or never had any). */
    record Snapshot(String epoch, long revision, Map<String, String> documents, Map<String, Long> deleted) {}

    enum WriteResult {
        /** Written (or, for a check, the view is current). */
        WRITTEN,
        /** The store has no epoch: it lost its data and must be repopulated first. */
        LOST,
        /** The store is at another epoch or revision than the view the change was computed from. */
        STALE
    }

    private static final String READ = """
            return {redis.call('HGET', KEYS[1], 'epoch'), redis.call('HGET', KEYS[1], 'revision'),
                    redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}
            """;

    /** ARGV: epoch, revision (of the writer's view), name ('' = only check), document ('' = delete), channel. */
    private static final String WRITE = """
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then return 'LOST' end
            local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
            if epoch ~= ARGV[1] or revision ~= tonumber(ARGV[2]) then return 'STALE' end
            if ARGV[3] == '' then return 'WRITTEN' end
            local next = revision + 1
            if ARGV[4] == '' then
              redis.call('HDEL', KEYS[2], ARGV[3])
              redis.call('HSET', KEYS[3], ARGV[3], next)
            else
              redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
              redis.call('HDEL', KEYS[3], ARGV[3])
            end
            redis.call('HSET', KEYS[1], 'revision', next)
            redis.call('PUBLISH', ARGV[5], next)
            return 'WRITTEN'
            """;

    /**
     * ARGV: a new epoch (used if the store has none), the view's revision, channel, then per experiment
     * name, revision, document ('' = tombstone). An experiment is taken when the store knows it at a lower
     * revision or not at all; a tie keeps the store's. A document the store cannot parse counts as unknown.
     */
    private static final String MERGE = """
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
            local changed = false
            for i = 4, #ARGV, 3 do
              local name, theirs, doc = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
              local known = -1
              local stored = redis.call('HGET', KEYS[2], name)
              if stored then
                local ok, parsed = pcall(cjson.decode, stored)
                if ok and type(parsed) == 'table' then known = tonumber(parsed['revision']) or 0 end
              else
                known = tonumber(redis.call('HGET', KEYS[3], name) or '-1')
              end
              if theirs > known then
                if doc == '' then
                  redis.call('HDEL', KEYS[2], name)
                  redis.call('HSET', KEYS[3], name, theirs)
                else
                  redis.call('HSET', KEYS[2], name, doc)
                  redis.call('HDEL', KEYS[3], name)
                end
                changed = true
              end
            end
            local next = math.max(revision, tonumber(ARGV[2]))
            if changed then next = next + 1 end
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[1], 'epoch', epoch)
            end
            if next ~= revision then
              redis.call('HSET', KEYS[1], 'revision', next)
            end
            if changed or next ~= revision then
              redis.call('PUBLISH', ARGV[3], next)
            end
            return 'MERGED'
            """;

    private final RedisConnections redis;
    private final ExperimentCodec codec;
    private final String[] keys;
    private final String channel;

    RedisExperimentSet(RedisConnections redis, ExperimentCodec codec, String keyPrefix) {
        this.redis = redis;
        this.codec = codec;
        this.keys = new String[] {keyPrefix + ":experiments:version", keyPrefix + ":experiments", keyPrefix + ":experiments:deleted"};
        this.channel = keyPrefix + ":experiments:changed";
    }

    String channel() {
        return channel;
    }

    Snapshot read() throws Exception {
        List<Object> reply = get(redis.async().<List<Object>>eval(READ, ScriptOutputType.MULTI, keys));
        Map<String, Long> deleted = new HashMap<>();
        pairs(reply.get(3)).forEach((name, revision) -> deleted.put(name, Long.parseLong(revision)));
        String revision = (String) reply.get(1);
        return new Snapshot((String) reply.get(0), revision == null ? 0 : Long.parseLong(revision), pairs(reply.get(2)), deleted);
    }

    /** Writes {@code stamped} (empty: deletes {@code name}) if the store is still at {@code view}'s epoch and revision. */
    WriteResult write(ExperimentsView view, String name, Optional<StoredExperiment> stamped) throws Exception {
        return script(view, name, stamped.map(codec::toJson).orElse(""));
    }

    /** Whether the store is still at {@code view}'s epoch and revision, for a change that changes nothing. */
    WriteResult check(ExperimentsView view) throws Exception {
        return script(view, "", "");
    }

    private WriteResult script(ExperimentsView view, String name, String document) throws Exception {
        String result = get(redis.async().<String>eval(WRITE, ScriptOutputType.VALUE, keys,
                view.epoch(), Long.toString(view.revision()), name, document, channel));
        return WriteResult.valueOf(result);
    }

    /** Adds to the store every experiment and tombstone of {@code view} that is newer than the store's; creates an epoch if it has none. */
    void merge(ExperimentsView view, String newEpoch) throws Exception {
        List<String> args = new ArrayList<>(List.of(newEpoch, Long.toString(view.revision()), channel));
        view.live().forEach((name, experiment) -> args.addAll(List.of(name, Long.toString(experiment.revision()), codec.toJson(experiment))));
        view.deleted().forEach((name, revision) -> args.addAll(List.of(name, Long.toString(revision), "")));
        get(redis.async().<String>eval(MERGE, ScriptOutputType.VALUE, keys, args.toArray(String[]::new)));
    }

    private static Map<String, String> pairs(Object flat) {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) flat;
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            out.put((String) list.get(i), (String) list.get(i + 1));
        }
        return out;
    }

    private static <T> T get(java.util.concurrent.Future<T> reply) throws Exception {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
