package dev.modelgate.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.drift.evaluate.DatasetDriftEvaluator;
import dev.modelgate.drift.profile.ReferenceProfile;
import dev.modelgate.gateway.batch.quality.QualityCheck;
import dev.modelgate.gateway.batch.quality.QualityReport;
import dev.modelgate.gateway.batch.quality.QualityReports;
import dev.modelgate.gateway.batch.sink.ClickHouseSink;
import dev.modelgate.gateway.batch.sink.FolderSink;
import dev.modelgate.gateway.batch.sink.ResultSink;
import dev.modelgate.gateway.batch.sink.SinkException;
import dev.modelgate.gateway.batch.source.ClickHouseSource;
import dev.modelgate.gateway.batch.source.DuckDbSource;
import dev.modelgate.gateway.batch.source.RowSource;
import dev.modelgate.gateway.batch.source.SourceException;
import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a batch job, start to end, on the calling thread (plus its own reader, writer and
 * {@code concurrency} engine-call threads):
 * <ol>
 *   <li>check the spec against the loaded models and the source's columns;</li>
 *   <li>read the whole input once for the data-quality checks, and stop if they fail;</li>
 *   <li>ask every sink which chunks it already holds (the checkpoint: a resumed run skips exactly those);</li>
 *   <li>read the input again in chunks, score each chunk not yet everywhere, write it to the sinks that
 *       lack it; reading the next chunk, scoring this one and writing the last overlap.</li>
 * </ol>
 * Its state goes to the {@code jobs} table at each step and every few seconds while it scores.
 */
public final class BatchJob {

    private static final Logger LOG = LoggerFactory.getLogger(BatchJob.class);
    private static final long CHECKPOINT_INTERVAL_MILLIS = 5_000;
    /** Bounds the whole streamed read of a ClickHouse source, however large. */
    private static final java.time.Duration STREAM_TIMEOUT = java.time.Duration.ofHours(12);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobSpec requested;
    private final BatchEnvironment env;
    private final boolean resume;
    private final JobProgress progress;
    private JobSpec spec;
    private Optional<JobsTable> jobs = Optional.empty();
    private long startedAtMillis;
    private volatile long lastCheckpointMillis;
    private QualityReport quality = QualityReport.skipped();
    private List<String> sinkNames = List.of();
    private String target = "";
    private String experiment = "";
    /** Rows failed so far in this run, for the error budget. */
    private long failedRows;

    /** @param resume continue the job with this id where it stopped, instead of refusing an id that already ran */
    public BatchJob(JobSpec spec, BatchEnvironment env, boolean resume, JobProgress progress) {
        this.requested = spec;
        this.spec = spec;
        this.env = env;
        this.resume = resume;
        this.progress = progress;
    }

    public String id() {
        return spec.id();
    }

    public JobProgress progress() {
        return progress;
    }

    /** Runs the job to its end; {@code cancelled} is read between chunks. Never throws for a failed job: see the outcome. */
    public JobOutcome run(BooleanSupplier cancelled) {
        startedAtMillis = env.clock().millis();
        env.metrics().started();
        JobOutcome outcome;
        try {
            outcome = runChecked(cancelled);
        } catch (SourceException | SinkException | ClickHouseCallException | IllegalArgumentException | IllegalStateException e) {
            outcome = new JobOutcome(JobState.FAILED, quality, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new JobOutcome(JobState.CANCELLED, quality, "interrupted");
        }
        progress.state(outcome.state());
        checkpoint(outcome.state(), outcome.error());
        env.metrics().finished(spec.model(), outcome.state());
        LOG.info("job {} {}: {} rows scored, {} failed, {} resumed{}", spec.id(), outcome.state().label(), progress.scoredRows(),
                progress.failedRows(), progress.resumedRows(), outcome.error().isEmpty() ? "" : " (" + outcome.error() + ")");
        return outcome;
    }

    private JobOutcome runChecked(BooleanSupplier cancelled)
            throws SourceException, SinkException, ClickHouseCallException, InterruptedException {
        ServedModel model = env.models().find(spec.model()).orElseThrow(() -> new IllegalArgumentException(
                "no model '" + spec.model() + "' is configured"));
        ScoringPlan plan = ScoringPlan.of(spec, model, env.router(), env.featureColumns());
        target = plan.experiment().isEmpty() ? plan.variants().get(0).variant().name() : "";
        experiment = plan.experiment();
        Optional<JobOutcome> earlier = adoptEarlierRun();
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try (RowSource source = open(spec.source())) {
            progress.state(JobState.CHECKING);
            Map<String, String> schema = source.schema();
            List<String> schemaProblems = schemaProblems(schema, plan.columns());
            if (!schemaProblems.isEmpty()) {
                quality = new QualityReport(QualityReport.FAIL, 0, List.of(), schemaProblems, List.of(), "", Optional.empty());
                return new JobOutcome(JobState.FAILED, quality, "data-quality check failed: " + String.join("; ", schemaProblems));
            }
            progress.totalRows(source.count());
            checkpoint(JobState.CHECKING, "");
            if (spec.quality().enabled()) {
                quality = check(source, schema, plan);
                if (quality.failed()) {
                    return new JobOutcome(JobState.FAILED, quality, "data-quality check failed: " + String.join("; ", quality.problems()));
                }
            }
            List<ResultSink> sinks = openSinks();
            try {
                return score(source, plan, sinks, cancelled);
            } finally {
                sinks.forEach(ResultSink::close);
            }
        }
    }

    /**
     * Looks the job id up: a new job must not reuse the id of one that ran (its chunks would count as
     * written); a resumed one takes the chunk size its first run numbered chunks by.
     */
    private Optional<JobOutcome> adoptEarlierRun() throws ClickHouseCallException {
        if (env.clickHouse().isEmpty()) {
            return Optional.empty();
        }
        jobs = Optional.of(new JobsTable(env.clickHouse().get()));
        Optional<JobRecord> previous = jobs.get().latest(spec.id());
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        if (!resume) {
            jobs = Optional.empty(); // the refused run must not write over the state of the job that owns the id
            return Optional.of(new JobOutcome(JobState.FAILED, quality, "job '" + spec.id() + "' already ran (" + previous.get().state().label()
                    + "): pass --resume to continue it, or give the job another id"));
        }
        spec = requested.withChunkRows(previous.get().chunkRows());
        if (previous.get().state() == JobState.SUCCEEDED) {
            progress.totalRows(previous.get().rowsTotal());
            progress.resumed(previous.get().rowsDone());
            return Optional.of(new JobOutcome(JobState.SUCCEEDED, quality, ""));
        }
        return Optional.empty();
    }

    private RowSource open(JobSpec.Source source) throws SourceException {
        return switch (source.kind()) {
            case CSV -> DuckDbSource.csv(source.path().orElseThrow());
            case PARQUET -> DuckDbSource.parquet(source.path().orElseThrow());
            case CLICKHOUSE -> new ClickHouseSource(ClickHouseConnection.open(clickHouse("a clickhouse source").settings()
                    .withOperationTimeout(STREAM_TIMEOUT)), source.query().orElseThrow());
        };
    }

    private ClickHouseConnection clickHouse(String what) {
        return env.clickHouse().orElseThrow(() -> new IllegalArgumentException(what + " needs ClickHouse, and telemetry is disabled"));
    }

    private List<String> schemaProblems(Map<String, String> schema, List<String> columns) {
        List<String> problems = new ArrayList<>();
        List<String> identifiers = new ArrayList<>(List.of(spec.keyColumn()));
        spec.unitIdColumn().ifPresent(identifiers::add);
        for (String column : identifiers) {
            if (!schema.containsKey(column)) {
                problems.add("column '" + column + "' is not in the source (it has " + schema.keySet() + ")");
            }
        }
        for (String column : columns) {
            String type = schema.get(column);
            if (type == null) {
                problems.add("input column '" + column + "' is not in the source (it has " + schema.keySet() + ")");
            } else if (!RowSource.numericType(type)) {
                problems.add("input column '" + column + "' is " + type + ", not a number");
            }
        }
        return problems;
    }

    private QualityReport check(RowSource source, Map<String, String> schema, ScoringPlan plan) throws SourceException {
        QualityCheck check = new QualityCheck(spec.quality(), plan.columns(), schema);
        try (RowSource.Reader reader = source.read(spec.keyColumn(), spec.unitIdColumn(), plan.columns())) {
            for (RowBlock block = reader.next(spec.chunkRows()); block != null; block = reader.next(spec.chunkRows())) {
                check.accept(block);
                progress.checked(block.size());
            }
        }
        VariantInputs variant = plan.qualityVariant();
        Map<String, String> featureOf = new HashMap<>();
        for (int i = 0; i < variant.featureColumns().length; i++) {
            featureOf.put(plan.columns().get(variant.featureColumns()[i]), variant.featureNames().get(i));
        }
        Optional<ReferenceProfile> reference = Optional.empty();
        if (env.references().isPresent() && !"off".equals(spec.quality().drift())) {
            try {
                reference = env.references().get().latest(spec.model(), variant.variant().name());
            } catch (ClickHouseCallException e) {
                throw new SourceException("cannot read the reference profile of " + spec.model() + "/" + variant.variant().name()
                        + ": " + e.getMessage(), e);
            }
        }
        QualityReport report = check.report(reference, variant.variant().name(), featureOf, new DatasetDriftEvaluator(env.drift()));
        LOG.info("job {}: data quality {} over {} rows{}", spec.id(), report.status(), report.rows(),
                report.problems().isEmpty() && report.warnings().isEmpty() ? ""
                        : ": " + String.join("; ", report.problems()) + String.join("; ", report.warnings()));
        return report;
    }

    private List<ResultSink> openSinks() throws SinkException {
        List<ResultSink> sinks = new ArrayList<>();
        if (spec.sinks().table().isPresent()) {
            sinks.add(new ClickHouseSink(clickHouse("a clickhouse_table sink"), spec.sinks().table().get(), spec.id(), spec.model(),
                    startedAtMillis, spec.sinks().features()));
        }
        if (spec.sinks().folder().isPresent()) {
            sinks.add(new FolderSink(spec.sinks().folder().get().resolve(spec.id())));
        }
        sinkNames = sinks.stream().map(ResultSink::name).toList();
        return sinks;
    }

    private JobOutcome score(RowSource source, ScoringPlan plan, List<ResultSink> sinks, BooleanSupplier cancelled)
            throws SourceException, SinkException, InterruptedException {
        List<Set<Long>> written = new ArrayList<>();
        for (ResultSink sink : sinks) {
            written.add(sink.writtenChunks());
        }
        progress.state(JobState.RUNNING);
        checkpoint(JobState.RUNNING, "");
        ExecutorService calls = Executors.newFixedThreadPool(spec.concurrency(), named("call"));
        ExecutorService reading = Executors.newSingleThreadExecutor(named("read"));
        ExecutorService writing = Executors.newSingleThreadExecutor(named("write"));
        try (RowSource.Reader reader = source.read(spec.keyColumn(), spec.unitIdColumn(), plan.columns())) {
            ChunkScorer scorer = new ChunkScorer(plan, spec, calls);
            Deque<Future<?>> writes = new ArrayDeque<>();
            // chunks whose calls are queued: the next one's wait behind this one's, so the engine never idles
            // while the job hands a finished chunk to the writer
            Deque<InFlight> scoring = new ArrayDeque<>();
            Future<RowBlock> next = reading.submit(() -> reader.next(spec.chunkRows()));
            for (long index = 0; ; index++) {
                RowBlock block = await(next);
                if (block == null) {
                    break;
                }
                next = reading.submit(() -> reader.next(spec.chunkRows()));
                if (cancelled.getAsBoolean()) {
                    Optional<String> overBudget = handOnAll(scoring, scorer, writes, writing);
                    drain(writes);
                    return overBudget.map(error -> new JobOutcome(JobState.FAILED, quality, error))
                            .orElseGet(() -> new JobOutcome(JobState.CANCELLED, quality, "cancelled"));
                }
                List<ResultSink> missing = missingFrom(sinks, written, index);
                if (missing.isEmpty()) {
                    progress.resumed(block.size());
                    continue;
                }
                scoring.addLast(new InFlight(scorer.start(index, block), missing));
                if (scoring.size() >= 2) {
                    Optional<String> overBudget = handOn(scoring.removeFirst(), scorer, writes, writing);
                    if (overBudget.isPresent()) {
                        drain(writes);
                        return new JobOutcome(JobState.FAILED, quality, overBudget.get());
                    }
                }
            }
            Optional<String> overBudget = handOnAll(scoring, scorer, writes, writing);
            drain(writes);
            return overBudget.map(error -> new JobOutcome(JobState.FAILED, quality, error))
                    .orElseGet(() -> new JobOutcome(JobState.SUCCEEDED, quality, ""));
        } finally {
            calls.shutdownNow();
            reading.shutdownNow();
            writing.shutdownNow();
        }
    }

    /** A chunk being scored, and the sinks it must go to. */
    private record InFlight(ChunkScorer.Pending pending, List<ResultSink> missing) {}

    private Optional<String> handOnAll(Deque<InFlight> scoring, ChunkScorer scorer, Deque<Future<?>> writes, ExecutorService writing)
            throws SinkException, SourceException, InterruptedException {
        while (!scoring.isEmpty()) {
            Optional<String> overBudget = handOn(scoring.removeFirst(), scorer, writes, writing);
            if (overBudget.isPresent()) {
                return overBudget;
            }
        }
        return Optional.empty();
    }

    /** Waits for the chunk's scores, checks the error budget, and queues the chunk for its sinks (unless over budget). */
    private Optional<String> handOn(InFlight inFlight, ChunkScorer scorer, Deque<Future<?>> writes, ExecutorService writing)
            throws SinkException, SourceException, InterruptedException {
        ScoredChunk chunk = scorer.finish(inFlight.pending());
        long chunkFailed = chunk.failed();
        failedRows += chunkFailed;
        Optional<String> overBudget = overBudget(failedRows, chunk);
        if (overBudget.isPresent()) {
            return overBudget;
        }
        while (writes.size() >= 2) {
            await(writes.removeFirst()); // at most two chunks wait for the sinks: memory stays bounded
        }
        writes.addLast(writing.submit(() -> {
            for (ResultSink sink : inFlight.missing()) {
                sink.write(chunk);
            }
            progress.written(chunk.rows().size() - chunkFailed, chunkFailed);
            env.metrics().rows(spec.model(), chunk.rows().size() - chunkFailed, chunkFailed);
            checkpointEvery(CHECKPOINT_INTERVAL_MILLIS);
            return null;
        }));
        return Optional.empty();
    }

    private static List<ResultSink> missingFrom(List<ResultSink> sinks, List<Set<Long>> written, long chunk) {
        List<ResultSink> missing = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            if (!written.get(i).contains(chunk)) {
                missing.add(sinks.get(i));
            }
        }
        return missing;
    }

    private Optional<String> overBudget(long failed, ScoredChunk chunk) {
        JobSpec.ErrorBudget budget = spec.errorBudget();
        long total = Math.max(progress.totalRows(), 1);
        if (failed <= budget.maxFailedRows() && failed <= budget.maxFailedFraction() * total) {
            return Optional.empty();
        }
        String example = "";
        for (int r = 0; r < chunk.errors().length; r++) {
            if (chunk.errors()[r] != null) {
                example = " (row " + chunk.rows().keys()[r] + ": " + chunk.errors()[r] + ")";
                break;
            }
        }
        return Optional.of("error budget exceeded: " + failed + " rows failed, more than " + (budget.maxFailedRows() == Long.MAX_VALUE ? ""
                : budget.maxFailedRows() + " rows or ") + budget.maxFailedFraction() * 100 + " % of " + total + example);
    }

    private static void drain(Deque<Future<?>> writes) throws SinkException, SourceException, InterruptedException {
        while (!writes.isEmpty()) {
            await(writes.removeFirst());
        }
    }

    private static <T> T await(Future<T> future) throws SinkException, SourceException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SinkException sink) {
                throw sink;
            }
            if (cause instanceof SourceException read) {
                throw read;
            }
            throw new IllegalStateException(cause.toString(), cause);
        }
    }

    private java.util.concurrent.ThreadFactory named(String role) {
        return runnable -> {
            Thread thread = new Thread(runnable, "modelgate-job-" + role);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void checkpointEvery(long intervalMillis) {
        if (env.clock().millis() - lastCheckpointMillis >= intervalMillis) {
            checkpoint(JobState.RUNNING, "");
        }
    }

    /** A row in {@code jobs}; progress rows are a record, not the checkpoint (the sinks are), so a failed write only logs. */
    private synchronized void checkpoint(JobState state, String error) {
        if (jobs.isEmpty()) {
            return;
        }
        long now = env.clock().millis();
        lastCheckpointMillis = now;
        JsonNode report = JSON.valueToTree(QualityReports.toMap(quality));
        try {
            jobs.get().record(new JobRecord(spec.id(), state, spec.model(), target, experiment, spec.source().describe(), sinkNames,
                    spec.document(), spec.chunkRows(), progress.totalRows(), progress.doneRows(), progress.scoredRows(),
                    progress.failedRows(), progress.resumedRows(), progress.writtenChunks(), startedAtMillis, now,
                    state.finished() ? now : 0, quality.status(), report, error, env.instanceId()));
        } catch (ClickHouseCallException | RuntimeException e) {
            LOG.warn("job {}: its {} row could not be written to the jobs table: {}", spec.id(), state.label(), e.getMessage());
        }
    }
}
