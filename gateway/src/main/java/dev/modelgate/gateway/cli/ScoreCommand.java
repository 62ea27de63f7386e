package dev.modelgate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelgate.gateway.BatchRuntime;
import dev.modelgate.gateway.batch.BatchJob;
import dev.modelgate.gateway.batch.JobOutcome;
import dev.modelgate.gateway.batch.JobProgress;
import dev.modelgate.gateway.batch.quality.QualityReports;
import dev.modelgate.gateway.config.ConfigException;
import dev.modelgate.gateway.config.ConfigLoader;
import dev.modelgate.gateway.config.GatewayConfig;
import dev.modelgate.gateway.config.JobSpec;
import dev.modelgate.gateway.config.JobSpecLoader;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code score --config gateway.yaml --job job.yaml [--resume] [--id ID]}: runs one batch job in this
 * process, through the models and experiments of the gateway configuration, and exits when it ends:
 * 0 succeeded, 1 failed (resume it with {@code --resume}), 2 invalid configuration or job spec,
 * 3 stopped by the data-quality checks, 4 cancelled (SIGTERM; resumable). Progress goes to stderr.
 */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Run a batch scoring job and exit.")
final class ScoreCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int QUALITY_FAILED = 3;
    static final int CANCELLED = 4;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Gateway configuration (models, experiments, ClickHouse); default: $MODELGATE_CONFIG.")
    Path config;

    @Option(names = {"-j", "--job"}, required = true, paramLabel = "FILE", description = "Job spec (YAML or JSON).")
    Path job;

    @Option(names = "--id", description = "Job id, overriding the spec's (e.g. the Airflow run id).")
    String id;

    @Option(names = "--resume", description = "Continue the job with this id where it stopped; no chunk is scored twice.")
    boolean resume;

    @Option(names = "--progress-interval-seconds", defaultValue = "10",
            description = "When stderr is not a terminal, print progress this often (default: ${DEFAULT-VALUE}).")
    long progressIntervalSeconds;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        // SIGTERM: the job finishes the chunk in hand and records "cancelled"; the process then exits with
        // this command's code (a shutdown hook that returned would leave the JVM's own 143). On a normal
        // exit the code is known before the hooks run: nothing to do, the other hooks (JFR, logging) finish.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exitCode.isDone()) {
                return;
            }
            cancelled.set(true);
            Runtime.getRuntime().halt(exitCode.join());
        }, "modelgate-score-stop"));
        int code = FAILED;
        try {
            code = score();
            return code;
        } finally {
            exitCode.complete(code);
        }
    }

    private int score() throws Exception {
        GatewayConfig gatewayConfig;
        JobSpec spec;
        try {
            Path configFile = config != null ? config : Optional.ofNullable(System.getenv("MODELGATE_CONFIG")).map(Path::of)
                    .orElseThrow(() -> new ConfigException("--config (or MODELGATE_CONFIG) must name the gateway configuration"));
            gatewayConfig = new ConfigLoader(System.getenv()).load(configFile);
            spec = JobSpecLoader.load(job, Optional.ofNullable(id));
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return INVALID;
        }
        DjlDefaults.apply();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (BatchRuntime runtime = BatchRuntime.open(vertx, gatewayConfig).await(5, TimeUnit.MINUTES)) {
            return run(new BatchJob(spec, runtime.environment(), resume, new JobProgress()));
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return INVALID;
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private int run(BatchJob batch) throws Exception {
        System.err.println("job " + batch.id() + (resume ? " (resuming)" : ""));
        ProgressBar bar = new ProgressBar(System.err, System.console() != null, progressIntervalSeconds);
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(() -> batch.run(cancelled::get));
        while (!outcome.isDone()) {
            bar.show(batch.progress());
            try {
                outcome.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // redraw
            }
        }
        JobOutcome result = outcome.get();
        bar.finish(batch.progress());
        ObjectMapper json = new ObjectMapper();
        if (!result.quality().problems().isEmpty() || !result.quality().warnings().isEmpty()) {
            System.err.println("data quality: " + json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(QualityReports.toMap(result.quality())));
        }
        if (!result.error().isEmpty()) {
            System.err.println("job " + batch.id() + " " + result.state().label() + ": " + result.error());
        }
        // one JSON line on stdout for the scheduler (e.g. an Airflow XCom)
        java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("job_id", batch.id());
        summary.put("status", result.state().label());
        summary.put("rows_total", batch.progress().totalRows());
        summary.put("rows_scored", batch.progress().scoredRows());
        summary.put("rows_failed", batch.progress().failedRows());
        summary.put("rows_resumed", batch.progress().resumedRows());
        summary.put("seconds", Math.round(batch.progress().elapsedSeconds() * 1000) / 1000.0);
        summary.put("scoring_seconds", Math.round(batch.progress().scoringSeconds() * 1000) / 1000.0);
        summary.put("rows_per_second", Math.round(batch.progress().rowsPerSecond()));
        summary.put("quality", result.quality().status());
        summary.put("error", result.error());
        System.out.println(json.writeValueAsString(summary));
        return switch (result.state()) {
            case SUCCEEDED -> 0;
            case CANCELLED -> CANCELLED;
            default -> result.qualityFailed() ? QUALITY_FAILED : FAILED;
        };
    }
}
