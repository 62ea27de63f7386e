package dev.modelgate.inference;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inference call as a backend sees it.
 *
 * @param id               the caller's request id (echoed in the response)
 * @param inputs           the input tensors, in the caller's order
 * @param requestedOutputs names of the outputs to return; empty means all
 * @param deadlineNanos    when the caller stops waiting, on the {@link System#nanoTime()} clock
 *                         ({@link #NO_DEADLINE} for never); the caller enforces it, and backends use it to
 *                         avoid timers of their own that could never fire first
 * @param callerJson       the caller's body, when it can be sent on unchanged (see {@link CallerJson})
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs, long deadlineNanos,
                               Optional<CallerJson> callerJson) {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public InferenceRequest {
        Objects.requireNonNull(id, "id");
        inputs = List.copyOf(inputs);
        requestedOutputs = List.copyOf(requestedOutputs);
        Objects.requireNonNull(callerJson, "callerJson");
    }

    /** A request whose caller waits as long as the backends take. */
    public InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {
        this(id, inputs, requestedOutputs, NO_DEADLINE, Optional.empty());
    }

    /** A request built by the gateway itself, with its own encoding for every backend. */
    public InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs, long deadlineNanos) {
        this(id, inputs, requestedOutputs, deadlineNanos, Optional.empty());
    }

    /** The same call with another deadline (a copy sent after the original, like a shadow). */
    public InferenceRequest withDeadline(long nanos) {
        return new InferenceRequest(id, inputs, requestedOutputs, nanos, callerJson);
    }

    /** Whether the caller gives up no later than {@code nanos} (a {@link System#nanoTime()} reading). */
    public boolean endsBy(long nanos) {
        return deadlineNanos != NO_DEADLINE && deadlineNanos - nanos <= 0;
    }

    public Optional<Tensor> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
