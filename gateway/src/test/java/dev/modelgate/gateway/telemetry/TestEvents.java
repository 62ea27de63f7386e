package dev.modelgate.gateway.telemetry;

import java.util.List;

/** Prediction events for tests: event {@code i} has id {@code prefix-i} and a distinct millisecond. */
public final class TestEvents {

    /** 2024-05-06T07:08:09.123Z */
    public static final long BASE_MILLIS = 1_714_979_289_123L;

    private TestEvents() {
    }

    public static PredictionEvent event(String prefix, int i) {
        return event(prefix, i, List.of("age", "income"), new double[] {30 + i, 1000.5}, List.of("p"), new double[] {0.25});
    }

    /** Event {@code i} with the given feature and output names, valued 1, 2, 3, ... */
    public static PredictionEvent event(String prefix, int i, List<String> featureNames, List<String> outputNames) {
        return event(prefix, i, featureNames, counting(featureNames.size()), outputNames, counting(outputNames.size()));
    }

    private static PredictionEvent event(String prefix, int i, List<String> featureNames, double[] featureValues,
                                         List<String> outputNames, double[] outputValues) {
        return new PredictionEvent(prefix + "-" + i, "req-" + i, BASE_MILLIS + i, "churn", "v3", "exp-1",
                "candidate", "candidate", PredictionEvent.ROLE_PRIMARY, "hash", "user-" + i, 200, "",
                1.5, 1.0, 1, featureNames, featureValues, outputNames, outputValues, 0.25,
                "{\"inputs\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "gw-1", List.of(), "rest", "checkout");
    }

    /** {@code e} as if another model had served it {@code days} later. */
    public static PredictionEvent movedTo(PredictionEvent e, String model, int days) {
        return new PredictionEvent(e.eventId(), e.requestId(), e.timestampMillis() + days * 86_400_000L, model,
                e.modelVersion(), e.experiment(), e.assignedVariant(), e.servedVariant(), e.role(), e.assignmentReason(),
                e.unitId(), e.status(), e.error(), e.latencyMs(), e.backendLatencyMs(), e.batchRows(), e.featureNames(),
                e.featureValues(), e.outputNames(), e.outputValues(), e.score(), e.requestJson(), e.instanceId(),
                e.truncatedFields(), e.protocol(), e.apiKey());
    }

    private static double[] counting(int n) {
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = k + 1;
        }
        return values;
    }
}
