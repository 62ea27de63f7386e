package dev.modelgate.gateway.alerts;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs alerts as JSON to one URL with Vert.x's {@link WebClient}: asynchronous, so the monitor never
 * waits for a receiver. Failures are retried with exponential backoff behind a circuit breaker: while
 * the receiver is down, attempts fail fast without a connection instead of piling up, and the breaker
 * probes it again after its open period. Only the newest notification of an alert (name, model, variant) is retried: a "firing"
 * still in backoff must not reach the receiver after the "resolved" that followed it.
 */
public final class HttpAlertChannel implements AlertChannel {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAlertChannel.class);

    private final String name;
    private final Vertx vertx;
    private final WebClient client;
    private final String url;
    private final Function<Notification, Buffer> payload;
    private final CircuitBreaker breaker;
    private final RetryPolicy retry;
    private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();

    public HttpAlertChannel(String name, Vertx vertx, WebClient client, String url, Function<Notification, Buffer> payload,
                            CircuitBreaker breaker, RetryPolicy retry) {
        this.name = name;
        this.vertx = vertx;
        this.client = client;
        this.url = url;
        this.payload = payload;
        this.breaker = breaker;
        this.retry = retry;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<Void> deliver(Notification alert) {
        AtomicLong generation = latest.computeIfAbsent(alert.alertName() + '\u0000' + alert.model() + '\u0000' + alert.variant(),
                k -> new AtomicLong());
        long mine = generation.incrementAndGet();
        Promise<Void> done = Promise.promise();
        attempt(alert, payload.apply(alert), 1, generation, mine, done);
        return done.future();
    }

    private void attempt(Notification alert, Buffer body, int attempt, AtomicLong generation, long mine, Promise<Void> done) {
        if (generation.get() != mine) {
            done.fail("superseded by a newer alert for " + alert.model() + "/" + alert.variant());
            return;
        }
        send(body).onComplete(result -> {
            if (result.succeeded()) {
                done.complete();
                return;
            }
            Throwable failure = result.cause();
            if (attempt >= retry.maxAttempts()) {
                LOG.error("{}: gave up delivering the {} alert for {}/{} after {} attempts: {}", name,
                        alert.firing() ? "firing" : "resolved", alert.model(), alert.variant(), attempt, failure.getMessage());
                done.fail(failure);
                return;
            }
            long wait = retry.backoffMillis(attempt);
            LOG.warn("{}: alert delivery attempt {} failed ({}); retrying in {} ms", name, attempt, failure.getMessage(), wait);
            vertx.setTimer(wait, t -> attempt(alert, body, attempt + 1, generation, mine, done));
        });
    }

    private Future<Void> send(Buffer body) {
        if (!breaker.tryAcquirePermission()) {
            return Future.failedFuture(CallNotPermittedException.createCallNotPermittedException(breaker));
        }
        long start = System.nanoTime();
        return client.postAbs(url)
                .timeout(retry.requestTimeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .sendBuffer(body)
                .<Void>transform(result -> {
                    long elapsed = System.nanoTime() - start;
                    if (result.succeeded() && result.result().statusCode() / 100 == 2) {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        return Future.succeededFuture();
                    }
                    Throwable failure = result.succeeded()
                            ? new IllegalStateException("HTTP " + result.result().statusCode() + ": " + abbreviate(result.result().bodyAsString()))
                            : result.cause();
                    breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
                    return Future.failedFuture(failure);
                });
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
