package dev.modelgate.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/** One unit of work that {@link OpenLoopDriver} starts when it is due; the stage completes with the answer. */
@FunctionalInterface
interface Operation {

    /** Starts call number {@code sequence} (0, 1, 2, ...); a failed stage counts as an error. */
    CompletionStage<?> start(long sequence);

    /**
     * An asynchronous Vert.x call started on {@code context}, as a gateway handler would start it:
     * Vert.x APIs expect to be called from their context, not from the driver's pacing thread.
     */
    static Operation onContext(Context context, LongFunction<Future<?>> call) {
        return sequence -> {
            Promise<Object> answer = Promise.promise();
            context.runOnContext(ignored -> {
                try {
                    call.apply(sequence).onComplete(answer);
                } catch (RuntimeException e) {
                    answer.fail(e);
                }
            });
            return answer.future().toCompletionStage();
        };
    }

    /** A blocking call run on the driver's own thread: a single caller, one call at a time. */
    static Operation blocking(LongFunction<Callable<?>> call) {
        return sequence -> {
            try {
                return CompletableFuture.completedFuture(call.apply(sequence).call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
