package dev.modelgate.gateway.state;

import io.vertx.core.Future;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where experiments live. Reads are local and instant ({@link #all()} is this replica's current view,
 * what the request path routes by); writes go to the shared store and reach every replica's view.
 * When the shared store is unreachable, replicas keep routing by their last view and writes fail.
 */
public interface ExperimentStore extends AutoCloseable {

    /** This replica's current view, by experiment name. Never blocks. */
    Map<String, StoredExperiment> all();

    default Optional<StoredExperiment> find(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /**
     * Computes {@code change} from the latest state of the set and writes its result, atomically: when
     * the set changed in between, the change is computed again. Fails with what {@code change} threw,
     * with {@link ConcurrentChangeException} when it lost the race too often, or with the store's error.
     */
    Future<ChangeOutcome> change(String name, ExperimentChange change);

    /** Changes an existing experiment; fails with {@link NoSuchElementException} if there is none. */
    default Future<StoredExperiment> update(String name, UnaryOperator<StoredExperiment> operator) {
        return change(name, (current, all) -> Optional.of(operator.apply(current.orElseThrow(() -> notFound(name)))))
                .map(outcome -> outcome.after().orElseThrow());
    }

    static NoSuchElementException notFound(String name) {
        return new NoSuchElementException("experiment '" + name + "' not found");
    }

    /** Called (on an unspecified thread) after this replica's view changed. */
    void onChange(Runnable listener);

    @Override
    void close();
}
