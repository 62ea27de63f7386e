package dev.modelgate.inference.batching;

import dev.modelgate.inference.InFlightGate;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.ModelMetadata;
import dev.modelgate.inference.RequestValidator;
import dev.modelgate.inference.TensorSpec;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dynamic batching in front of any backend whose inputs all have a variable first dimension, with
 * Triton's semantics: requests queue up and run as one concatenated request once
 * {@code maxBatchSize} rows are queued or {@code maxQueueDelay} has passed since the oldest arrived;
 * each caller gets its own rows back. Requests asking for different outputs, or whose inputs differ
 * past the batch dimension, form separate batches. A full queue fails fast with
 * {@link InferenceException.Kind#OVERLOADED}. A request with more rows than {@code maxBatchSize}
 * bypasses the queue.
 *
 * <p>Nothing blocks: the queue is a few fields under a short lock (callers may be on several event
 * loops), the delay is a Vert.x timer set from the caller's context, and every caller is answered on
 * its own context.
 */
public final class BatchingBackend implements InferenceBackend {

    private final Vertx vertx;
    private final InferenceBackend delegate;
    private final BatchingSettings settings;
    private final BatchingListener listener;
    private final RequestValidator validator;
    private final InFlightGate gate = new InFlightGate();

    // guarded by this
    private final Map<BatchKey, Batch> forming = new HashMap<>();
    private final Deque<Batch> ready = new ArrayDeque<>();
    private int queued;
    private int running;
    private long batchCount;
    private Future<Void> closed;

    /** @throws IllegalArgumentException naming the first input whose first dimension is fixed */
    public BatchingBackend(Vertx vertx, InferenceBackend delegate, BatchingSettings settings, BatchingListener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        ModelMetadata metadata = delegate.metadata();
        for (TensorSpec input : metadata.inputs()) {
            if (input.shape().length == 0 || input.shape()[0] >= 0) {
                throw new IllegalArgumentException("model '" + metadata.name() + "' cannot be batched: input '"
                        + input.name() + "' has shape " + Arrays.toString(input.shape())
                        + ", without a variable first dimension");
            }
        }
        this.validator = new RequestValidator(metadata);
    }

    @Override
    public Future<InferenceResponse> infer(InferenceRequest request) {
        try {
            // here, so that one bad request fails alone instead of failing the batch it would join
            validator.validate(request);
        } catch (InferenceException invalid) {
            return Future.failedFuture(invalid);
        }
        if (!gate.tryEnter()) {
            return Future.failedFuture(new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata().name() + "' is closed"));
        }
        if (request.inputs().get(0).rows() > settings.maxBatchSize()) {
            return delegate.infer(request).andThen(done -> gate.leave());
        }
        PendingRequest pending = new PendingRequest(request, vertx.getOrCreateContext());
        List<Batch> runnable;
        synchronized (this) {
            if (queued >= settings.maxQueueSize()) {
                runnable = null;
            } else {
                queued++;
                enqueue(pending);
                runnable = takeRunnable();
            }
        }
        if (runnable == null) {
            gate.leave();
            listener.requestRejected();
            return Future.failedFuture(new InferenceException(InferenceException.Kind.OVERLOADED,
                    "model '" + metadata().name() + "': batch queue full (" + settings.maxQueueSize() + " requests)"));
        }
        runnable.forEach(this::execute);
        return pending.future();
    }

    /** Caller holds the lock. */
    private void enqueue(PendingRequest pending) {
        BatchKey key = BatchKey.of(pending.request());
        Batch batch = forming.get(key);
        if (batch != null && batch.rows() + pending.rows() > settings.maxBatchSize()) {
            seal(batch);
            batch = null;
        }
        if (batch == null) {
            Batch created = new Batch(key);
            forming.put(key, created);
            created.timerId(vertx.setTimer(settings.maxQueueDelay().toMillis(), id -> delayExpired(created)));
            batch = created;
        }
        batch.add(pending);
        if (batch.rows() == settings.maxBatchSize()) {
            seal(batch);
        }
    }

    /** Caller holds the lock: the batch takes no more requests and waits for a free slot. */
    private void seal(Batch batch) {
        forming.remove(batch.key(), batch);
        vertx.cancelTimer(batch.timerId());
        ready.add(batch);
    }

    /** Caller holds the lock. */
    private List<Batch> takeRunnable() {
        List<Batch> runnable = new ArrayList<>(1);
        while (running < settings.maxConcurrentBatches() && !ready.isEmpty()) {
            Batch batch = ready.poll();
            running++;
            queued -= batch.size();
            runnable.add(batch);
        }
        return runnable;
    }

    private void delayExpired(Batch batch) {
        List<Batch> runnable;
        synchronized (this) {
            if (forming.get(batch.key()) != batch) {
                return;
            }
            seal(batch);
            runnable = takeRunnable();
        }
        runnable.forEach(this::execute);
    }

    private void execute(Batch batch) {
        long started = System.nanoTime();
        String id;
        synchronized (this) {
            id = "batch-" + (++batchCount);
        }
        Future<InferenceResponse> result;
        try {
            result = delegate.infer(batch.combined(id));
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(done -> finished(batch, started, done));
    }

    private void finished(Batch batch, long started, AsyncResult<InferenceResponse> done) {
        long now = System.nanoTime();
        List<Batch> runnable;
        synchronized (this) {
            running--;
            runnable = takeRunnable();
        }
        // accounted before answering: a caller that sees its answer finds its batch in the stats
        listener.batchCompleted(new BatchStats(batch.size(), batch.rows(), started - batch.oldestEnqueuedNanos(),
                now - started, done.succeeded()));
        answer(batch, done);
        runnable.forEach(this::execute);
    }

    private void answer(Batch batch, AsyncResult<InferenceResponse> done) {
        List<PendingRequest> members = batch.members();
        try {
            if (done.failed()) {
                members.forEach(member -> member.fail(done.cause()));
            } else {
                List<InferenceResponse> responses = batch.split(done.result());
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).complete(responses.get(i));
                }
            }
        } catch (IllegalStateException unbatchable) {
            InferenceException failure = new InferenceException(InferenceException.Kind.BACKEND_FAILURE,
                    "model '" + metadata().name() + "': " + unbatchable.getMessage(), unbatchable);
            members.forEach(member -> member.fail(failure));
        } finally {
            members.forEach(member -> gate.leave());
        }
    }

    @Override
    public ModelMetadata metadata() {
        return delegate.metadata();
    }

    @Override
    public boolean isReady() {
        return !gate.isClosed() && delegate.isReady();
    }

    /** Same as {@link #closeAsync()}, without waiting. */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Refuses new requests, runs the queued ones at once without waiting for their delay, and closes
     * the wrapped backend once every caller has been answered. Idempotent.
     */
    public Future<Void> closeAsync() {
        List<Batch> runnable;
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
            closed = gate.close().andThen(done -> delegate.close());
            new ArrayList<>(forming.values()).forEach(this::seal);
            runnable = takeRunnable();
        }
        runnable.forEach(this::execute);
        return closed;
    }
}
