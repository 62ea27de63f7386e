package dev.modelgate.gateway.telemetry;

import java.util.List;
import java.util.Objects;

/**
 * One row of {@code modelgate.predictions}: everything the gateway knows about one inference, primary
 * or shadow. Built on the request path after the response is sent, then handed to the event writer.
 *
 * @param eventId          unique per row (a shadow row has its own), used to make replays exactly-once
 * @param requestId        the request id returned to the caller; shared by a primary and its shadows
 * @param timestampMillis  when the request arrived, epoch milliseconds
 * @param role             {@code primary} or {@code shadow}
 * @param assignmentReason hash, forced, targeted, fallback or default
 * @param status           the HTTP status the caller got (for shadows: what the shadow would have returned)
 * @param featureNames     one name per value in {@code featureValues}: numeric inputs flattened row by
 *                         row, so a batch of r rows of k features has r*k entries
 * @param outputNames      one name per value in {@code outputValues}, flattened the same way
 * @param score            the primary score (first element of the first output), NaN when there is none
 * @param requestJson      the raw request body as received (UTF-8), truncated to the configured cap on a
 *                         character boundary; kept as bytes so the writer copies it without decoding
 * @param truncatedFields  the columns cut to fit the row caps ({@link TruncatedField}); usually empty
 * @param protocol         how the caller asked: {@code rest} or {@code grpc}
 * @param apiKey           the name of the caller's API key (never its secret); empty for anonymous calls
 */
public record PredictionEvent(
        String eventId,
        String requestId,
        long timestampMillis,
        String model,
        String modelVersion,
        String experiment,
        String assignedVariant,
        String servedVariant,
        String role,
        String assignmentReason,
        String unitId,
        int status,
        String error,
        double latencyMs,
        double backendLatencyMs,
        int batchRows,
        List<String> featureNames,
        double[] featureValues,
        List<String> outputNames,
        double[] outputValues,
        double score,
        byte[] requestJson,
        String instanceId,
        List<String> truncatedFields,
        String protocol,
        String apiKey) {

    public static final String ROLE_PRIMARY = "primary";
    public static final String ROLE_SHADOW = "shadow";

    public PredictionEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestId, "requestId");
        featureNames = List.copyOf(featureNames);
        outputNames = List.copyOf(outputNames);
        truncatedFields = List.copyOf(truncatedFields);
        Objects.requireNonNull(apiKey, "apiKey");
        if (featureNames.size() != featureValues.length) {
            throw new IllegalArgumentException("featureNames and featureValues differ in length");
        }
        if (outputNames.size() != outputValues.length) {
            throw new IllegalArgumentException("outputNames and outputValues differ in length");
        }
    }
}
