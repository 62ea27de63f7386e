package dev.modelgate.gateway.telemetry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the writer thread has done with the write-ahead log, so that a restart after a crash replays
 * each record exactly once: per segment, how many records (a prefix) are already in ClickHouse or the
 * spool; and the batch being written right now, if any, with the records it covers. Written before
 * and after every attempt (to a temporary file, then renamed: readers see the old or the new file,
 * never half of one; no fsync, since the segments it describes are not forced either).
 *
 * @param released per segment file name, records durable elsewhere
 * @param inFlight the batch attempt that had started and not finished, or null
 */
record WalCheckpoint(Map<String, Integer> released, InFlight inFlight) {

    static final String FILE = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A batch handed to ClickHouse or the spool whose outcome was not recorded.
     *
     * @param batchId         its id (a spooled batch keeps it in its header)
     * @param landedPredicate finds its first row in ClickHouse
     * @param ends            per segment, the released count the batch brings it to
     */
    record InFlight(String batchId, String landedPredicate, Map<String, Integer> ends) {}

    WalCheckpoint {
        released = Map.copyOf(released);
    }

    static WalCheckpoint read(Path dir) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(dir.resolve(FILE)));
        } catch (NoSuchFileException e) {
            return new WalCheckpoint(Map.of(), null);
        }
        JsonNode inFlight = root.path("in_flight");
        return new WalCheckpoint(counts(root.path("released")), inFlight.isObject()
                ? new InFlight(inFlight.path("batch_id").asText(), inFlight.path("landed_predicate").asText(), counts(inFlight.path("ends")))
                : null);
    }

    void write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode releasedNode = root.putObject("released");
        released.forEach(releasedNode::put);
        if (inFlight != null) {
            ObjectNode node = root.putObject("in_flight")
                    .put("batch_id", inFlight.batchId())
                    .put("landed_predicate", inFlight.landedPredicate());
            ObjectNode ends = node.putObject("ends");
            inFlight.ends().forEach(ends::put);
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }
}
