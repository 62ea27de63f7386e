package dev.modelgate.inference.remote;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.function.Supplier;

/**
 * Issues a backend's client calls from an event loop, wherever they are made. Vert.x 5.0's client can
 * lose the answer to a request issued from a non-Vert.x thread while its connection is still finishing
 * the previous exchange (a test calling back to back hung on it): requests are issued from an event loop,
 * as the gateway's always are. One loop for all such callers (workers included) so that they claim one
 * client, not one per worker thread.
 */
public final class OffLoopCalls {

    private final Context loop;

    private OffLoopCalls(Context loop) {
        this.loop = loop;
    }

    public static OffLoopCalls create(Vertx vertx) {
        return new OffLoopCalls(((VertxInternal) vertx).createEventLoopContext());
    }

    /** {@code call} at once on an event loop, else on this one's loop. */
    public <T> Future<T> run(Supplier<Future<T>> call) {
        if (Context.isOnEventLoopThread()) {
            return call.get();
        }
        Promise<T> result = Promise.promise();
        loop.runOnContext(issued -> call.get().onComplete(result));
        return result.future();
    }
}
