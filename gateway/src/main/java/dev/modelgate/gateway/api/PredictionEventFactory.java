package dev.modelgate.gateway.api;

import static dev.modelgate.gateway.telemetry.TruncatedField.ERROR;
import static dev.modelgate.gateway.telemetry.TruncatedField.FEATURE_NAMES;
import static dev.modelgate.gateway.telemetry.TruncatedField.FEATURE_VALUES;
import static dev.modelgate.gateway.telemetry.TruncatedField.MODEL_VERSION;
import static dev.modelgate.gateway.telemetry.TruncatedField.OUTPUT_NAMES;
import static dev.modelgate.gateway.telemetry.TruncatedField.OUTPUT_VALUES;
import static dev.modelgate.gateway.telemetry.TruncatedField.REQUEST_JSON;
import static dev.modelgate.gateway.telemetry.TruncatedField.UNIT_ID;

import dev.modelgate.gateway.config.RowCaps;
import dev.modelgate.gateway.privacy.FeatureMask;
import dev.modelgate.gateway.privacy.FeatureMasks;
import dev.modelgate.gateway.serving.FeatureColumns;
import dev.modelgate.gateway.telemetry.PredictionEvent;
import dev.modelgate.gateway.telemetry.TruncatedField;
import dev.modelgate.gateway.telemetry.TruncationMeter;
import dev.modelgate.gateway.telemetry.Utf8;
import dev.modelgate.inference.DataType;
import dev.modelgate.inference.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Turns an {@link InferenceExchange} into the row logged to {@code modelgate.predictions}. Numeric
 * inputs and outputs are flattened row by row into parallel name/value arrays, so that a feature's
 * values across every row and request can be read back with one ARRAY JOIN; a variant's
 * {@code feature_names} give the columns of a [rows, k] input their real names.
 *
 * <p>Every field is capped ({@link RowCaps}), so that a caller cannot turn a small request into a huge
 * row, and a row says which fields were cut. A request answered 4xx logs no values at all: its inputs
 * were invalid for the model, and would only pollute drift statistics.
 */
public final class PredictionEventFactory {

    private static final double[] NO_VALUES = new double[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final Flattened NOTHING = new Flattened(List.of(), NO_VALUES, 0);
    /** What a row holds besides its strings and values: numbers, dates and length prefixes, rounded up. */
    private static final int FIXED_ROW_BYTES = 128;
    private static final int BYTES_PER_VALUE = Double.BYTES;
    private static final ToIntFunction<String> BYTES_OF = Utf8::length;
    private static final ToIntFunction<String> MAX_BYTES_OF = Utf8::maxLength;

    private final String instanceId;
    private final RowCaps caps;
    private final FeatureColumns naming;
    private final TruncationMeter truncations;
    private final FeatureMasks masks;

    public PredictionEventFactory(String instanceId, RowCaps caps, TruncationMeter truncations) {
        this(instanceId, caps, truncations, FeatureMasks.NONE);
    }

    /** @param masks the models' {@code features.F.log} rules, applied here, before the event is encoded or queued */
    public PredictionEventFactory(String instanceId, RowCaps caps, TruncationMeter truncations, FeatureMasks masks) {
        this.instanceId = instanceId;
        this.caps = caps;
        this.naming = new FeatureColumns(caps.nameBytes());
        this.truncations = truncations;
        this.masks = masks;
    }

    public PredictionEvent create(InferenceExchange exchange) {
        boolean rejected = exchange.status() >= 400 && exchange.status() < 500;
        List<Tensor> outputs = exchange.response() == null ? List.of() : exchange.response().outputs();
        Map<String, List<String>> columnNames = exchange.route() == null ? Map.of() : exchange.route().variant().config().featureNames();
        Optional<FeatureMask> mask = masks.forModel(exchange.model().name());
        Flattened features = rejected ? NOTHING : masked(flatten(exchange.inputs(), columnNames, FEATURE_NAMES, FEATURE_VALUES), mask);
        Flattened outputValues = rejected ? NOTHING : flatten(outputs, Map.of(), OUTPUT_NAMES, OUTPUT_VALUES);
        long rows = exchange.inputs().isEmpty() ? 0 : exchange.inputs().get(0).rows();

        String version = Objects.requireNonNullElse(exchange.response() != null ? exchange.response().modelVersion()
                : exchange.route() != null ? exchange.route().variant().config().version() : null, "");
        String cappedVersion = Utf8.cut(version, caps.nameBytes());
        String unitId = exchange.unitId() == null ? "" : exchange.unitId();
        String cappedUnitId = Utf8.cut(unitId, caps.nameBytes());
        String error = exchange.error() == null ? "" : exchange.error();
        String cappedError = Utf8.cut(error, caps.errorBytes());
        // the raw body holds every feature as sent: a model with protected features logs none
        byte[] body = exchange.body() == null || mask.isPresent() ? NO_BYTES : exchange.body();
        byte[] cappedBody = Utf8.cut(body, caps.requestJsonBytes());
        int cut = features.cut() | outputValues.cut() | bitIf(cappedVersion != version, MODEL_VERSION)
                | bitIf(cappedUnitId != unitId, UNIT_ID) | bitIf(cappedError != error, ERROR)
                | bitIf(cappedBody != body, REQUEST_JSON);

        String eventId = RequestIds.next();
        // nearly every row is far below the cap: an upper bound from char counts spares scanning its text
        if (fixed(exchange, eventId, cappedVersion, cappedUnitId, cappedError, MAX_BYTES_OF) + cappedBody.length
                + features.bytes(MAX_BYTES_OF) + outputValues.bytes(MAX_BYTES_OF) > caps.rowBytes()) {
            long fixed = fixed(exchange, eventId, cappedVersion, cappedUnitId, cappedError, BYTES_OF);
            if (fixed + cappedBody.length + features.bytes(BYTES_OF) + outputValues.bytes(BYTES_OF) > caps.rowBytes()) {
                // outputs first: they are few, and they are what experiments and prediction drift read
                long room = caps.rowBytes() - fixed - cappedBody.length;
                outputValues = outputValues.within(room, OUTPUT_VALUES);
                features = features.within(room - outputValues.bytes(BYTES_OF), FEATURE_VALUES);
                if (room < 0) {
                    cappedBody = Utf8.cut(cappedBody, (int) Math.max(0, caps.rowBytes() - fixed));
                    cut |= REQUEST_JSON.bit();
                }
                cut |= features.cut() | outputValues.cut();
            }
        }
        return new PredictionEvent(
                eventId,
                exchange.requestId(),
                exchange.arrivalMillis(),
                exchange.model().name(),
                cappedVersion,
                exchange.experiment(),
                exchange.assignedVariant(),
                exchange.servedVariant(),
                exchange.role(),
                exchange.reason() == null ? "" : exchange.reason(),
                cappedUnitId,
                exchange.status(),
                cappedError,
                exchange.totalNanos() / 1e6,
                exchange.backendNanos() / 1e6,
                (int) Math.min(rows, Integer.MAX_VALUE),
                features.names(),
                features.values(),
                outputValues.names(),
                outputValues.values(),
                score(outputs, exchange.model().config().scoreOutput()),
                cappedBody,
                instanceId,
                truncations.record(cut),
                exchange.protocol(), exchange.apiKey() == null ? "" : exchange.apiKey());
    }

    /** Parallel names and values, with the {@link TruncatedField#bit() bits} of what was cut making them. */
    private record Flattened(List<String> names, double[] values, int cut) {

        /** The size in the row, with the names measured by {@code bytes} (exact, or an upper bound). */
        long bytes(ToIntFunction<String> bytes) {
            long total = (long) values.length * BYTES_PER_VALUE;
            for (String name : names) {
                total += bytes.applyAsInt(name);
            }
            return total;
        }

        /** The leading name/value pairs that fit in {@code room} bytes. */
        Flattened within(long room, TruncatedField dropped) {
            if (bytes(BYTES_OF) <= room) {
                return this;
            }
            long used = 0;
            int keep = 0;
            for (; keep < values.length; keep++) {
                used += Utf8.length(names.get(keep)) + BYTES_PER_VALUE;
                if (used > room) {
                    break;
                }
            }
            double[] kept = new double[keep];
            System.arraycopy(values, 0, kept, 0, keep);
            return new Flattened(names.subList(0, keep), kept, cut | dropped.bit());
        }
    }

    private static Flattened masked(Flattened features, Optional<FeatureMask> mask) {
        if (mask.isEmpty() || features.values().length == 0) {
            return features;
        }
        FeatureMask.Masked masked = mask.get().apply(features.names(), features.values());
        return new Flattened(masked.names(), masked.values(), features.cut());
    }

    private Flattened flatten(List<Tensor> tensors, Map<String, List<String>> columnNames, TruncatedField namesField,
                              TruncatedField valuesField) {
        long available = 0;
        for (Tensor tensor : tensors) {
            if (tensor.datatype() != DataType.BYTES) {
                available += tensor.size();
            }
        }
        int total = (int) Math.min(available, caps.loggedValues());
        int cut = bitIf(total < available, valuesField);
        if (total == 0) {
            return cut == 0 ? NOTHING : new Flattened(List.of(), NO_VALUES, cut);
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
            FeatureColumns.Columns columns = naming.of(tensor.name(), tensor.shape(), columnNames);
            cut |= bitIf(columns.cut(), namesField);
            int width = columns.names().size();
            // generated names are made when read: make each once when all are logged, none that are not
            List<String> columnName = width <= take ? List.copyOf(columns.names()) : columns.names();
            if (count == 0 && take == total && take == width) {
                // the common one-row request: its names are the configured list itself, shared by every row
                for (int i = 0; i < take; i++) {
                    values[i] = tensor.getDouble(i);
                }
                return new Flattened(columnName, values, cut);
            }
            for (int i = 0; i < take; i++) {
                names.add(columnName.get(i % width));
                values[count++] = tensor.getDouble(i);
            }
        }
        return new Flattened(names, values, cut);
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

    private static int bitIf(boolean condition, TruncatedField field) {
        return condition ? field.bit() : 0;
    }

    /** What the row holds besides its values and the request body, measured by {@code bytes}. */
    private long fixed(InferenceExchange exchange, String eventId, String version, String unitId, String error,
                       ToIntFunction<String> bytes) {
        // one term per string rather than a loop over an array: this runs for every request
        return FIXED_ROW_BYTES + size(eventId, bytes) + size(exchange.requestId(), bytes) + size(exchange.model().name(), bytes)
                + size(version, bytes) + size(exchange.experiment(), bytes) + size(exchange.assignedVariant(), bytes)
                + size(exchange.servedVariant(), bytes) + size(exchange.role(), bytes) + size(exchange.reason(), bytes)
                + size(unitId, bytes) + size(error, bytes) + size(instanceId, bytes) + size(exchange.apiKey(), bytes);
    }

    private static long size(String text, ToIntFunction<String> bytes) {
        return text == null ? 0 : bytes.applyAsInt(text);
    }
}
