package dev.modelgate.inference.batching;

import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Requests that will run together: one concatenated request in, each caller's rows back out. */
final class Batch {

    private final BatchKey key;
    private final List<PendingRequest> members = new ArrayList<>();
    private long rows;
    private long timerId = -1;

    Batch(BatchKey key) {
        this.key = key;
    }

    BatchKey key() {
        return key;
    }

    void add(PendingRequest request) {
        members.add(request);
        rows += request.rows();
    }

    List<PendingRequest> members() {
        return members;
    }

    int size() {
        return members.size();
    }

    long rows() {
        return rows;
    }

    long timerId() {
        return timerId;
    }

    void timerId(long id) {
        timerId = id;
    }

    long oldestEnqueuedNanos() {
        return members.get(0).enqueuedNanos();
    }

    /** The members' inputs joined row-wise, in the first member's input order. */
    InferenceRequest combined(String id) {
        InferenceRequest first = members.get(0).request();
        if (members.size() == 1) {
            return first;
        }
        List<Tensor> inputs = new ArrayList<>(first.inputs().size());
        for (Tensor input : first.inputs()) {
            List<Tensor> parts = new ArrayList<>(members.size());
            for (PendingRequest member : members) {
                parts.add(member.request().input(input.name()).orElseThrow());
            }
            inputs.add(TensorRows.concat(parts));
        }
        return new InferenceRequest(id, inputs, first.requestedOutputs());
    }

    /**
     * Hands each member its own row range of every output.
     *
     * @throws IllegalStateException when an output does not have one row per input row
     */
    List<InferenceResponse> split(InferenceResponse combined) {
        for (Tensor output : combined.outputs()) {
            if (output.shape().length == 0 || output.rows() != rows) {
                throw new IllegalStateException("output '" + output.name() + "' has " + output.rows()
                        + " rows for a batch of " + rows + "; the model cannot be batched");
            }
        }
        List<InferenceResponse> responses = new ArrayList<>(members.size());
        long offset = 0;
        for (PendingRequest member : members) {
            List<Tensor> outputs = new ArrayList<>(combined.outputs().size());
            for (Tensor output : combined.outputs()) {
                outputs.add(TensorRows.slice(output, offset, member.rows()));
            }
            responses.add(new InferenceResponse(combined.modelName(), combined.modelVersion(), member.request().id(), outputs));
            offset += member.rows();
        }
        return responses;
    }
}
