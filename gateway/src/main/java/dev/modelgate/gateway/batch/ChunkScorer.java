package dev.modelgate.gateway.batch;

import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scores a chunk: assigns each row its variant, groups the rows per variant into engine calls of
 * {@code batch_size} rows, and runs at most {@code concurrency} calls at once on the job's own threads
 * (the job's budget on the backends, whatever the online traffic does). A call that fails is retried
 * with exponential backoff; one the backend calls invalid is split into single rows, so that one bad
 * row fails alone. A row that cannot be scored is recorded with its error, never dropped.
 */
final class ChunkScorer {

    private final ScoringPlan plan;
    private final JobSpec spec;
    private final ExecutorService calls;
    private final String scoreOutput;
    private final long callTimeoutMillis;

    /** @param calls {@code concurrency} threads owned by the job */
    ChunkScorer(ScoringPlan plan, JobSpec spec, ExecutorService calls) {
        this.plan = plan;
        this.spec = spec;
        this.calls = calls;
        this.scoreOutput = plan.model().config().scoreOutput();
        // the backend's own timeout answers first; this only guards against a future that never completes
        this.callTimeoutMillis = plan.model().config().timeout().toMillis() * 2 + 10_000;
    }

    /** A chunk whose engine calls are queued or running; {@link #finish} waits for them. */
    record Pending(ScoredChunk chunk, List<Future<?>> calls) {}

    /**
     * Queues the chunk's engine calls behind those of the chunks started before it and returns at once, so
     * the engine goes on from one chunk to the next without waiting for the job to hand the last one on.
     */
    @SuppressWarnings("unchecked")
    Pending start(long index, RowBlock block) {
        int n = block.size();
        int[] variantOf = new int[n];
        String[] errors = new String[n];
        double[] scores = new double[n];
        Arrays.fill(scores, Double.NaN);
        double[][] outputs = new double[n][];
        List<String>[] outputNames = new List[plan.variants().size()];
        List<int[]> rowsPerVariant = new ArrayList<>();
        int[] counts = new int[plan.variants().size()];
        for (int v = 0; v < counts.length; v++) {
            rowsPerVariant.add(new int[n]);
        }
        for (int r = 0; r < n; r++) {
            if (block.keys()[r] == null) {
                errors[r] = "the key column is null";
                continue;
            }
            int v = plan.assign(block.units()[r]);
            variantOf[r] = v;
            String missing = nullInput(plan.variants().get(v), block, r);
            if (missing != null) {
                errors[r] = "column '" + missing + "' is null";
                continue;
            }
            rowsPerVariant.get(v)[counts[v]++] = r;
        }
        ScoredChunk chunk = new ScoredChunk(index, block, plan.variants(), plan.experiment(), variantOf, scores, outputs, outputNames, errors);
        List<Future<?>> pending = new ArrayList<>();
        for (int v = 0; v < counts.length; v++) {
            int[] rows = rowsPerVariant.get(v);
            for (int from = 0; from < counts[v]; from += spec.batchSize()) {
                int[] batch = Arrays.copyOfRange(rows, from, Math.min(counts[v], from + spec.batchSize()));
                int variant = v;
                pending.add(calls.submit(() -> {
                    scoreBatch(chunk, variant, batch);
                    return null;
                }));
            }
        }
        return new Pending(chunk, pending);
    }

    /** The chunk once every one of its calls has ended (scored, or its rows marked failed). */
    ScoredChunk finish(Pending pending) throws InterruptedException {
        for (Future<?> call : pending.calls()) {
            try {
                call.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring chunk " + pending.chunk().index() + " failed: " + e.getCause(), e.getCause());
            }
        }
        return pending.chunk();
    }

    private static String nullInput(VariantInputs inputs, RowBlock block, int row) {
        int[] columns = inputs.featureColumns();
        for (int i = 0; i < columns.length; i++) {
            if (block.isNull(columns[i], row)) {
                return inputs.featureNames().get(i);
            }
        }
        return null;
    }

    private void scoreBatch(ScoredChunk chunk, int variant, int[] rows) throws InterruptedException {
        VariantInputs inputs = plan.variants().get(variant);
        InferenceBackend backend = inputs.variant().backend();
        InferenceRequest request = new InferenceRequest("batch-" + chunk.index() + "-" + rows[0],
                inputs.tensors(chunk.rows(), rows, rows.length), List.of());
        long backoff = spec.retry().initialBackoff().toMillis();
        Throwable last = null;
        for (int attempt = 1; attempt <= spec.retry().maxAttempts(); attempt++) {
            try {
                record(chunk, variant, rows, backend.infer(request).toCompletionStage().toCompletableFuture()
                        .get(callTimeoutMillis, TimeUnit.MILLISECONDS));
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e instanceof ExecutionException ? e.getCause() : e;
                if (last instanceof InferenceException failure && failure.kind() == InferenceException.Kind.INVALID_INPUT) {
                    if (rows.length > 1) {
                        for (int row : rows) {
                            scoreBatch(chunk, variant, new int[] {row});
                        }
                        return;
                    }
                    break; // the row itself is at fault: retrying cannot help
                }
                if (attempt < spec.retry().maxAttempts()) {
                    Thread.sleep(backoff);
                    backoff = Math.min(Math.max(1, backoff * 2), spec.retry().maxBackoff().toMillis());
                }
            }
        }
        String error = last == null ? "not scored" : last.getMessage() == null ? last.toString() : last.getMessage();
        for (int row : rows) {
            chunk.errors()[row] = error;
        }
    }

    private void record(ScoredChunk chunk, int variant, int[] rows, InferenceResponse response) {
        int n = rows.length;
        List<Tensor> outputs = response.outputs();
        if (chunk.outputNames()[variant] == null) {
            chunk.outputNames()[variant] = outputNames(outputs, n);
        }
        int width = 0;
        int scoreAt = -1;
        for (Tensor output : outputs) {
            if (scoreAt < 0 && (scoreOutput.isEmpty() || scoreOutput.equals(output.name()))) {
                scoreAt = width;
            }
            width += output.size() / n;
        }
        for (int r = 0; r < n; r++) {
            double[] values = new double[width];
            int at = 0;
            for (Tensor output : outputs) {
                int perRow = output.size() / n;
                for (int c = 0; c < perRow; c++) {
                    values[at++] = output.getDouble(r * perRow + c);
                }
            }
            chunk.outputs()[rows[r]] = values;
            chunk.scores()[rows[r]] = scoreAt >= 0 && scoreAt < width ? values[scoreAt] : Double.NaN;
        }
    }

    private static List<String> outputNames(List<Tensor> outputs, int rows) {
        List<String> names = new ArrayList<>();
        for (Tensor output : outputs) {
            int perRow = output.size() / rows;
            for (int c = 0; c < perRow; c++) {
                names.add(perRow == 1 ? output.name() : output.name() + "[" + c + "]");
            }
        }
        return List.copyOf(names);
    }
}
