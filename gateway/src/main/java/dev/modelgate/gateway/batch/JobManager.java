package dev.modelgate.gateway.batch;

import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.gateway.telemetry.clickhouse.ClickHouseCallException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batch jobs submitted to a running gateway ({@code POST /admin/jobs}). They run on worker threads of
 * their own, {@code workers} at a time (the rest wait in line), and each keeps at most
 * {@code maxConcurrency} engine calls in flight whatever its spec asks, so that online requests always
 * find the engines' other instances free. Jobs are remembered until the gateway stops; the jobs table
 * answers for the ones before. The manager owns the environment's ClickHouse connection and closes it.
 */
public final class JobManager implements AutoCloseable {

    /** A job this gateway runs or ran. */
    public record Submission(BatchJob job, AtomicBoolean cancelled, JobSpec spec) {

        public JobProgress progress() {
            return job.progress();
        }
    }

    private final BatchEnvironment env;
    private final int maxConcurrency;
    private final ExecutorService workers;
    private final Map<String, Submission> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobOutcome> outcomes = new ConcurrentHashMap<>();

    public JobManager(BatchEnvironment env, int workers, int maxConcurrency) {
        this.env = env;
        this.maxConcurrency = maxConcurrency;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "modelgate-job-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @throws IllegalStateException when a job with this id is queued or running here */
    public Submission submit(JobSpec requested, boolean resume) {
        JobSpec spec = requested.concurrency() > maxConcurrency ? requested.withConcurrency(maxConcurrency) : requested;
        Submission submission = new Submission(new BatchJob(spec, env, resume, new JobProgress()), new AtomicBoolean(), spec);
        Submission existing = jobs.compute(spec.id(), (id, current) ->
                current != null && !current.progress().state().finished() ? current : submission);
        if (existing != submission) {
            throw new IllegalStateException("job '" + spec.id() + "' is already " + existing.progress().state().label() + " here");
        }
        outcomes.remove(spec.id());
        workers.submit(() -> outcomes.put(spec.id(), submission.job().run(submission.cancelled()::get)));
        return submission;
    }

    public Optional<Submission> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** How a job this gateway ran ended; empty while it runs. */
    public Optional<JobOutcome> outcome(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    /** The latest state of a job this gateway did not run, from the jobs table. Blocking. */
    public Optional<JobRecord> stored(String id) throws ClickHouseCallException {
        if (env.clickHouse().isEmpty()) {
            return Optional.empty();
        }
        return new JobsTable(env.clickHouse().get()).latest(id);
    }

    /** Asks a queued or running job to stop after its current chunk; false when there is none. */
    public boolean cancel(String id) {
        Submission submission = jobs.get(id);
        if (submission == null || submission.progress().state().finished()) {
            return false;
        }
        submission.cancelled().set(true);
        return true;
    }

    /** Cancels every job and waits (up to {@code timeoutSeconds}) for them to record where they stopped. */
    public void close(long timeoutSeconds) throws InterruptedException {
        jobs.values().forEach(submission -> submission.cancelled().set(true));
        workers.shutdown();
        workers.awaitTermination(timeoutSeconds, TimeUnit.SECONDS);
        env.clickHouse().ifPresent(clickHouse -> clickHouse.close());
    }

    @Override
    public void close() {
        try {
            close(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
