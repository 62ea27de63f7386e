package dev.modelgate.gateway.admin;

import dev.modelgate.gateway.api.ErrorResponses;
import dev.modelgate.gateway.serving.BackendFactory;
import dev.modelgate.gateway.serving.ModelRegistry;
import dev.modelgate.gateway.serving.ServedModel;
import dev.modelgate.gateway.serving.Variant;
import dev.modelgate.inference.resilience.BreakerSnapshot;
import dev.modelgate.inference.resilience.ResiliencePolicies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Collection;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/backends}: every variant's backend, its readiness, its circuit breaker and its latency
 * since the start (from {@code modelgate_backend_seconds});
 * {@code POST /admin/models/{model}/variants/{variant}/reload}: read a local variant's model file again
 * and swap it in without failing a request (503 and the old model keeps serving if it cannot load).
 */
public final class BackendAdminRoutes implements AdminRoutes {

    private final ModelRegistry models;
    private final ResiliencePolicies policies;
    private final BackendFactory backends;
    private final MeterRegistry registry;

    public BackendAdminRoutes(ModelRegistry models, ResiliencePolicies policies, BackendFactory backends, MeterRegistry registry) {
        this.models = models;
        this.policies = policies;
        this.backends = backends;
        this.registry = registry;
    }

    @Override
    public void mount(Router router) {
        router.get("/admin/backends").handler(ctx -> {
            JsonArray backends = new JsonArray();
            for (ServedModel model : models.models()) {
                for (Variant variant : model.variants().values()) {
                    String name = BackendFactory.policyName(model.name(), variant.name());
                    JsonObject backend = new JsonObject()
                            .put("model", model.name())
                            .put("variant", variant.name())
                            .put("type", variant.config().backend().type())
                            .put("ready", variant.backend().isReady())
                            .put("batching", variant.config().batching().isPresent());
                    policies.breaker(name).ifPresent(breaker -> backend.put("circuit_breaker", breaker(breaker)));
                    backend.put("latency", latency(registry.find("modelgate.backend").tag("model", model.name())
                            .tag("variant", variant.name()).timers()));
                    backends.add(backend);
                }
            }
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("backends", backends).encode());
        });
        router.post("/admin/models/:model/variants/:variant/reload").handler(ctx -> {
            String model = ctx.pathParam("model");
            String variant = ctx.pathParam("variant");
            backends.reload(model, variant).onComplete(ar -> {
                if (ar.succeeded()) {
                    ctx.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("model", model).put("variant", variant).put("reloaded", true).encode());
                } else if (ar.cause() instanceof NoSuchElementException) {
                    ErrorResponses.send(ctx, 404, ar.cause().getMessage());
                } else {
                    ErrorResponses.send(ctx, 503, "reload failed, the previous model keeps serving: " + ar.cause().getMessage());
                }
            });
        });
    }

    /**
     * Calls and their latency in milliseconds over every outcome: the mean and maximum are exact, the
     * percentiles are the upper bounds of the histogram buckets they fall in (null when above the last).
     */
    private static JsonObject latency(Collection<Timer> timers) {
        long calls = 0;
        long ok = 0;
        double totalMs = 0;
        double maxMs = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Timer timer : timers) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            calls += snapshot.count();
            if ("ok".equals(timer.getId().getTag("outcome"))) {
                ok += snapshot.count();
            }
            totalMs += snapshot.total(TimeUnit.MILLISECONDS);
            maxMs = Math.max(maxMs, timer.max(TimeUnit.MILLISECONDS));
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                buckets.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
            }
        }
        return new JsonObject()
                .put("calls", calls)
                .put("ok_calls", ok)
                .put("mean_ms", calls == 0 ? null : totalMs / calls)
                .put("max_ms", calls == 0 ? null : maxMs)
                .put("p50_ms_at_most", percentile(buckets, calls, 0.50))
                .put("p99_ms_at_most", percentile(buckets, calls, 0.99));
    }

    /** The smallest bucket bound holding {@code q} of the calls (cumulative counts), or null. */
    private static Double percentile(TreeMap<Double, Double> cumulative, long calls, double q) {
        if (calls == 0) {
            return null;
        }
        for (var bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= q * calls) {
                return bucket.getKey();
            }
        }
        return null;
    }

    private static JsonObject breaker(BreakerSnapshot breaker) {
        return new JsonObject()
                .put("state", breaker.state().name().toLowerCase(Locale.ROOT))
                .put("failure_rate", breaker.failureRate())
                .put("slow_call_rate", breaker.slowCallRate())
                .put("buffered_calls", breaker.bufferedCalls())
                .put("failed_calls", breaker.failedCalls())
                .put("not_permitted_calls", breaker.notPermittedCalls());
    }
}
