package dev.modelgate.gateway.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.gateway.api.ApiException;
import dev.modelgate.gateway.telemetry.FeedbackEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a {@code POST /v1/feedback} body: one item or an array of items
 * {@code {"request_id": "...", "metric": "converted", "value": 1.0, "time": epoch ms | ISO-8601}}.
 * The whole body is validated before anything is returned, so a caller either has every item accepted
 * or gets a 400 naming the first bad one ({@code [3].value: must be a finite number}) and can resend
 * the corrected body without creating duplicates.
 */
public final class FeedbackParser {

    /** Metric names share the spec's name rule, so that every metric a spec can name can be posted. */
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_REQUEST_ID_LENGTH = 256;
    private static final Set<String> FIELDS = Set.of("request_id", "metric", "value", "time");
    /** Far enough back for late batch uploads, and it keeps a mistyped year from creating a partition per day. */
    private static final long EARLIEST_TIME_MILLIS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_CLOCK_SKEW_MILLIS = 86_400_000L;

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final String instanceId;

    public FeedbackParser(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @throws ApiException (400) naming the item and field of the first problem */
    public List<FeedbackEvent> parse(String body, long receivedMillis) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw ApiException.badRequest("body must be a feedback object or an array of them");
        }
        if (root.isObject()) {
            return List.of(item(root, "", receivedMillis));
        }
        if (root.isEmpty()) {
            throw ApiException.badRequest("body must contain at least one feedback item");
        }
        List<FeedbackEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(item(root.get(i), "[" + i + "]", receivedMillis));
        }
        return events;
    }

    private FeedbackEvent item(JsonNode node, String path, long receivedMillis) {
        if (!node.isObject()) {
            throw bad(path, "", "must be an object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad(path, name, "unknown field; expected one of [metric, request_id, time, value]");
            }
        }
        String requestId = text(node, path, "request_id");
        if (requestId.isBlank() || requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw bad(path, "request_id", "must be 1-" + MAX_REQUEST_ID_LENGTH + " characters, not blank");
        }
        String metric = text(node, path, "metric");
        if (!METRIC.matcher(metric).matches()) {
            throw bad(path, "metric", "'" + metric + "' must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        JsonNode value = node.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw bad(path, "value", "must be a finite number");
        }
        long time = node.hasNonNull("time") ? time(node.get("time"), path, receivedMillis) : receivedMillis;
        return new FeedbackEvent(UUID.randomUUID().toString(), requestId, metric, value.asDouble(), time, receivedMillis, instanceId, "");
    }

    private static String text(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw bad(path, field, "is required and must be a string");
        }
        return value.asText();
    }

    private static long time(JsonNode value, String path, long receivedMillis) {
        long millis;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            millis = value.asLong();
        } else if (value.isTextual()) {
            try {
                millis = OffsetDateTime.parse(value.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw bad(path, "time", "'" + value.asText() + "' is not an ISO-8601 time with offset, e.g. 2026-03-01T12:00:00Z");
            }
        } else {
            throw bad(path, "time", "must be epoch milliseconds or an ISO-8601 string");
        }
        if (millis < EARLIEST_TIME_MILLIS || millis > receivedMillis + MAX_CLOCK_SKEW_MILLIS) {
            throw bad(path, "time", "must be between 2000-01-01 and one day from now, got " + Instant.ofEpochMilli(millis));
        }
        return millis;
    }

    private static ApiException bad(String path, String field, String problem) {
        String where = field.isEmpty() ? (path.isEmpty() ? "body" : path) : (path.isEmpty() ? field : path + "." + field);
        return ApiException.badRequest(where + ": " + problem);
    }
}
