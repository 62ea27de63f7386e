package dev.modelgate.inference;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Counts calls in progress so a backend can close without blocking anyone: once {@link #close()}
 * is called no new call enters, and the returned future completes when the last one has left.
 * Closing this way, rather than waiting in {@code close()}, keeps event-loop callers unblocked.
 */
public final class InFlightGate {

    private final Promise<Void> drained = Promise.promise();
    private int inFlight;
    private boolean closed;

    /** @return false once closed; a caller that got true must call {@link #leave()} exactly once */
    public synchronized boolean tryEnter() {
        if (closed) {
            return false;
        }
        inFlight++;
        return true;
    }

    public void leave() {
        boolean last;
        synchronized (this) {
            if (inFlight == 0) {
                throw new IllegalStateException("leave() without a matching tryEnter()");
            }
            inFlight--;
            last = closed && inFlight == 0;
        }
        if (last) {
            drained.tryComplete();
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops admitting calls; idempotent. The future completes once no call is in flight. */
    public Future<Void> close() {
        boolean idle;
        synchronized (this) {
            closed = true;
            idle = inFlight == 0;
        }
        if (idle) {
            drained.tryComplete();
        }
        return drained.future();
    }
}
