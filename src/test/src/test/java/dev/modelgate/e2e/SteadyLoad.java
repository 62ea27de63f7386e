package dev.modelgate.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Valid fraud-score requests at a steady rate from one pacing thread, as a fleet of callers would
 * send them, while a test breaks something underneath. Every run is bounded twice: by the test's
 * {@link #stop()} and by {@code maxDuration}, after which the pacing thread stops by itself.
 * Records the X-Request-Id of every answer, whatever its status.
 */
final class SteadyLoad implements AutoCloseable {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Supplier<InferApi> target;
    private final int perSecond;
    private final Duration maxDuration;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Random random;
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusById = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    /** The variants each unit was served by: one each when assignment is sticky, whichever replica answered. */
    private final Map<String, Set<String>> variantsByUnit = new ConcurrentHashMap<>();
    /** Answers per replica, as a load balancer in front names it ({@code X-Served-By}). */
    private final Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
    /** Why requests got no answer, by exception: a connection reset reads differently from a timeout. */
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private volatile boolean stopping;
    private Thread pacer;

    /**
     * @param target      the gateway to call, asked again for each request so that a test can swap in a
     *                    restarted gateway while the load runs
     * @param maxInFlight requests waiting for an answer at once; a tick that finds them all busy skips
     *                    its requests (counted) rather than queueing without bound
     */
    SteadyLoad(Supplier<InferApi> target, int perSecond, int maxInFlight, Duration maxDuration, long seed) {
        this.target = target;
        this.perSecond = perSecond;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxDuration = maxDuration;
        this.random = new Random(seed);
    }

    SteadyLoad start() {
        pacer = new Thread(this::pace, "steady-load");
        pacer.setDaemon(true);
        pacer.start();
        return this;
    }

    private void pace() {
        long start = System.nanoTime();
        long deadline = start + maxDuration.toNanos();
        long issued = 0;
        while (!stopping && System.nanoTime() < deadline) {
            long due = (System.nanoTime() - start) * perSecond / TimeUnit.SECONDS.toNanos(1);
            for (; issued < due; issued++) {
                if (!inFlight.tryAcquire()) {
                    skipped.incrementAndGet();
                    continue;
                }
                send();
            }
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send() {
        sent.incrementAndGet();
        String unit = "u" + random.nextInt(1000);
        long sentAt = System.nanoTime();
        String body = InferApi.fraudRequest(ServeAndLogE2ETest.randomTransaction(random), unit);
        target.get().postAsync("/v2/models/fraud-score/infer", body).whenComplete((response, error) -> {
            try {
                if (response == null) {
                    unanswered.incrementAndGet();
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                    errors.computeIfAbsent(String.valueOf(cause), e -> new AtomicInteger()).incrementAndGet();
                    failures.add(new Failure(sentAt, System.nanoTime()));
                } else {
                    record(unit, response);
                }
            } finally {
                inFlight.release();
            }
        });
    }

    private void record(String unit, HttpResponse<String> response) {
        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        response.headers().firstValue("X-Variant").ifPresent(variant -> variantsByUnit.computeIfAbsent(unit, u -> ConcurrentHashMap.newKeySet()).add(variant));
        response.headers().firstValue("X-Served-By").ifPresent(server -> servedBy.computeIfAbsent(server, s -> new AtomicInteger()).incrementAndGet());
        response.headers().firstValue("X-Request-Id").ifPresent(id -> {
            statusById.put(id, response.statusCode());
            answered.add(id);
        });
    }

    /** Stops sending and waits (at most 30 s) for the answers still on their way. */
    void stop() throws InterruptedException {
        stopping = true;
        if (pacer != null) {
            pacer.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (inFlight.tryAcquire(maxInFlight, 30, TimeUnit.SECONDS)) {
            inFlight.release(maxInFlight);
        }
    }

    /**
     * Waits until {@code n} answers have arrived or {@code timeout} passed, whichever is first: a test
     * that needs enough traffic behind it before it breaks something, on a machine whose speed varies.
     */
    void awaitAnswered(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answered.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** X-Request-Id of every answer received so far, whatever its status. */
    List<String> answered() {
        return List.copyOf(answered);
    }

    /** The HTTP status each answered request id got, for failure messages. */
    Map<String, Integer> statusById() {
        return Map.copyOf(statusById);
    }

    /** The units that were served by more than one variant, with those variants. */
    Map<String, Set<String>> unitsWithSeveralVariants() {
        Map<String, Set<String>> several = new TreeMap<>();
        variantsByUnit.forEach((unit, variants) -> {
            if (variants.size() > 1) {
                several.put(unit, Set.copyOf(variants));
            }
        });
        return several;
    }

    int units() {
        return variantsByUnit.size();
    }

    /** Answers per replica named in {@code X-Served-By}. */
    Map<String, Integer> servedBy() {
        Map<String, Integer> counts = new TreeMap<>();
        servedBy.forEach((server, n) -> counts.put(server, n.get()));
        return counts;
    }

    /** When a request that got no answer was sent and when it failed ({@link System#nanoTime()}). */
    record Failure(long sentNanos, long failedNanos) {
        /** Sent before {@code to} and failed from {@code from} on: the request was in flight between them. */
        boolean inFlightDuring(long from, long to) {
            return sentNanos < to && failedNanos >= from;
        }
    }

    /** The requests that got no answer. */
    List<Failure> failures() {
        return List.copyOf(failures);
    }

    int sent() {
        return sent.get();
    }

    /** Requests that got no answer: the connection failed or the gateway went away with them. */
    int unanswered() {
        return unanswered.get();
    }

    int skipped() {
        return skipped.get();
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    int answeredWithStatusAtLeast(int status) {
        return statuses.entrySet().stream().filter(e -> e.getKey() >= status).mapToInt(e -> e.getValue().get()).sum();
    }

    String describe() {
        return "sent " + sent + ", answered " + answered.size() + " by status " + statuses + ", unanswered " + unanswered + (errors.isEmpty() ? "" : " " + errors)
                + ", skipped (all " + maxInFlight + " in flight) " + skipped;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
