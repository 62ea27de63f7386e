package dev.modelgate.gateway.api;

import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link InferenceExchange} into the row logged to {@code modelgate.predictions}. Numeric
 * inputs and outputs are flattened row by row into parallel name/value arrays, so that a feature's
 * values across every row and request can be read back with one ARRAY JOIN; a variant's
 * {@code feature_names} give the columns of a [rows, k] input their real names.
 */
public final class PredictionEventFactory {

    private static final double[] NO_VALUES = new double[0];
    private static final byte[] NO_BYTES = new byte[0];

    private final String instanceId;
    private final int maxLoggedValues;
    private final int requestJsonMaxBytes;

    public PredictionEventFactory(String instanceId, int maxLoggedValues, int requestJsonMaxBytes) {
        this.instanceId = instanceId;
        this.maxLoggedValues = maxLoggedValues;
        this.requestJsonMaxBytes = requestJsonMaxBytes;
    }

    public PredictionEvent create(InferenceExchange exchange) {
        Map<String, List<String>> columnNames = exchange.route() == null ? Map.of() : exchange.route().variant().config().featureNames();
        Flattened features = flatten(exchange.inputs(), columnNames);
        List<Tensor> outputs = exchange.response() == null ? List.of() : exchange.response().outputs();
        Flattened outputValues = flatten(outputs, Map.of());
        long rows = exchange.inputs().isEmpty() ? 0 : exchange.inputs().get(0).rows();
        String version = exchange.response() != null ? exchange.response().modelVersion()
                : exchange.route() != null ? exchange.route().variant().config().version() : "";
        return new PredictionEvent(
                RequestIds.next(),
                exchange.requestId(),
                exchange.arrivalMillis(),
                exchange.model().name(),
                version,
                exchange.experiment(),
                exchange.assignedVariant(),
                exchange.servedVariant(),
                exchange.role(),
                exchange.reason() == null ? "" : exchange.reason(),
                exchange.unitId() == null ? "" : exchange.unitId(),
                exchange.status(),
                exchange.error() == null ? "" : exchange.error(),
                exchange.totalNanos() / 1e6,
                exchange.backendNanos() / 1e6,
                (int) Math.min(rows, Integer.MAX_VALUE),
                features.names,
                features.values,
                outputValues.names,
                outputValues.values,
                score(outputs, exchange.model().config().scoreOutput()),
                truncatedBody(exchange.body()),
                instanceId);
    }

    private record Flattened(List<String> names, double[] values) {}

    private Flattened flatten(List<Tensor> tensors, Map<String, List<String>> columnNames) {
        int total = 0;
        for (Tensor tensor : tensors) {
            if (tensor.datatype() != DataType.BYTES) {
                total = (int) Math.min((long) total + tensor.size(), maxLoggedValues);
            }
        }
        if (total == 0) {
            return new Flattened(List.of(), NO_VALUES);
        }
        List<String> names = new ArrayList<>(total);
        double[] values = new double[total];
        int count = 0;
        for (Tensor tensor : tensors) {
            if (tensor.datatype() == DataType.BYTES) {
                continue;
            }
            int take = Math.min(tensor.size(), total - count);
            if (take <= 0) {
                break;
            }
            List<String> columnName = FeatureColumns.names(tensor.name(), tensor.shape(), columnNames);
            int columns = columnName.size();
            if (count == 0 && take == total && take == columns) {
                // the common one-row request: its names are the configured list itself, shared by every row
                for (int i = 0; i < take; i++) {
                    values[i] = tensor.getDouble(i);
                }
                return new Flattened(columnName, values);
            }
            for (int i = 0; i < take; i++) {
                names.add(columnName.get(i % columns));
                values[count++] = tensor.getDouble(i);
            }
        }
        return new Flattened(names, values);
    }

    private static double score(List<Tensor> outputs, String scoreOutput) {
        for (Tensor output : outputs) {
            if ((scoreOutput.isEmpty() || output.name().equals(scoreOutput))
                    && output.datatype() != DataType.BYTES && output.size() > 0) {
                return output.getDouble(0);
            }
        }
        return Double.NaN;
    }

    /** The body up to the cap, cut before a UTF-8 continuation byte so the prefix stays valid text. */
    private byte[] truncatedBody(byte[] body) {
        if (body == null) {
            return NO_BYTES;
        }
        if (body.length <= requestJsonMaxBytes) {
            return body;
        }
        int cut = requestJsonMaxBytes;
        while (cut > 0 && (body[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return Arrays.copyOf(body, cut);
    }
}
