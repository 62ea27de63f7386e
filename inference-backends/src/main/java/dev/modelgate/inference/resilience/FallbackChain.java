package dev.modelgate.inference.resilience;

import dev.modelgate.inference.InferenceBackend;
import dev.modelgate.inference.InferenceException;
import dev.modelgate.inference.InferenceRequest;
import dev.modelgate.inference.InferenceResponse;
import dev.modelgate.inference.Tensor;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Tries backends in order until one answers, e.g. candidate → control, then answers with a configured
 * default if every one failed. Variants of a model may differ in what they accept (a candidate built for
 * a new input contract), so a refusal of the input moves on to the next backend like any failure; but
 * when the last backend, the model's reference, refuses it too, the caller's request is at fault and
 * gets that refusal, never the static default. A backend that is not ready is skipped. Holds no state
 * of its own and starts no timers: each backend's own policy bounds its time.
 */
public final class FallbackChain {

    /** One backend of the chain, named as the gateway reports it. */
    public record Candidate(String name, InferenceBackend backend) {

        public Candidate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(backend, "backend");
        }
    }

    private final List<Candidate> candidates;
    private final List<Tensor> defaultOutputs;

    /**
     * @param candidates     tried in this order; at least one
     * @param defaultOutputs the static default response's outputs, or empty for none (then the last
     *                       failure is reported)
     */
    public FallbackChain(List<Candidate> candidates, List<Tensor> defaultOutputs) {
        this.candidates = List.copyOf(candidates);
        this.defaultOutputs = List.copyOf(defaultOutputs);
        if (this.candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must hold at least one backend");
        }
        Set<String> names = new HashSet<>();
        for (Candidate candidate : this.candidates) {
            if (!names.add(candidate.name())) {
                throw new IllegalArgumentException("candidates: '" + candidate.name() + "' appears twice");
            }
        }
    }

    public Future<Served> infer(InferenceRequest request) {
        return attempt(request, 0, new ArrayList<>(), null); // no array until a failure is noted
    }

    private Future<Served> attempt(InferenceRequest request, int index, List<String> failures, Throwable lastFailure) {
        if (index == candidates.size()) {
            return giveUp(request, failures, lastFailure);
        }
        Candidate candidate = candidates.get(index);
        if (!candidate.backend().isReady()) {
            // a backend that is not there (a remote server down since start) is passed over without a call,
            // so that its circuit breaker does not open on failures that say nothing about its answers
            failures.add(candidate.name() + ": not ready");
            return attempt(request, index + 1, failures, lastFailure != null ? lastFailure
                    : new InferenceException(InferenceException.Kind.BACKEND_FAILURE, candidate.name() + " is not ready"));
        }
        // one stage for both outcomes: a map and a recover would be two futures per request
        return candidate.backend().infer(request).transform(done -> {
            if (done.succeeded()) {
                return Future.succeededFuture(new Served(candidate.name(), done.result()));
            }
            failures.add(candidate.name() + ": " + done.cause().getMessage());
            return attempt(request, index + 1, failures, done.cause());
        });
    }

    private Future<Served> giveUp(InferenceRequest request, List<String> failures, Throwable lastFailure) {
        if (Failures.isCallersFault(lastFailure)) {
            return Future.failedFuture(lastFailure);
        }
        if (!defaultOutputs.isEmpty()) {
            String model = candidates.get(0).backend().metadata().name();
            return Future.succeededFuture(new Served(Served.STATIC_DEFAULT,
                    new InferenceResponse(model, "", request.id(), defaultOutputs)));
        }
        // the last failure's kind decides the status: a timeout stays a 504, a refusal a 503
        InferenceException.Kind kind = lastFailure instanceof InferenceException e
                ? e.kind() : InferenceException.Kind.BACKEND_FAILURE;
        return Future.failedFuture(new InferenceException(kind,
                "every backend failed: " + String.join("; ", failures), lastFailure));
    }
}
