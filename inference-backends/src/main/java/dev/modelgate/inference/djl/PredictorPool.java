package dev.modelgate.inference.djl;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of DJL predictors over one model. A {@link Predictor} is not thread-safe, so each call
 * borrows one for its duration; sized like the worker pool that calls it, a borrower never waits.
 *
 * @param <I> predictor input type
 * @param <O> predictor output type
 */
public final class PredictorPool<I, O> implements AutoCloseable {

    /** Work done with a borrowed predictor. */
    @FunctionalInterface
    public interface PredictorCall<I, O, R> {
        R apply(Predictor<I, O> predictor) throws Exception;
    }

    private final List<Predictor<I, O>> all;
    private final BlockingQueue<Predictor<I, O>> idle;

    public PredictorPool(ZooModel<I, O> model, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(model.newPredictor());
        }
        idle = new ArrayBlockingQueue<>(size, false, all);
    }

    public int size() {
        return all.size();
    }

    /** Runs {@code call} with a predictor nobody else is using, waiting for one if all are busy. */
    public <R> R call(PredictorCall<I, O, R> call) throws Exception {
        Predictor<I, O> predictor = idle.take();
        try {
            return call.apply(predictor);
        } finally {
            idle.add(predictor);
        }
    }

    /**
     * Runs {@code call} once with each predictor, one after another (to warm every instance up);
     * only before the pool is shared.
     */
    public void forEach(PredictorCall<I, O, ?> call) throws Exception {
        for (Predictor<I, O> predictor : all) {
            call.apply(predictor);
        }
    }

    /** Closes every predictor; call only once no call is in progress. */
    @Override
    public void close() {
        all.forEach(Predictor::close);
    }
}
