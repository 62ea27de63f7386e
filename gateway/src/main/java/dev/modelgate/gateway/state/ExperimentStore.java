package dev.modelgate.gateway.state;

import io.vertx.core.Future;
import java.util.Map;
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

    /** Creates or replaces an experiment. */
    Future<StoredExperiment> put(StoredExperiment experiment);

    /**
     * Changes an experiment from its latest stored value (which may be newer than this replica's view);
     * fails with {@link java.util.NoSuchElementException} if it does not exist.
     */
    Future<StoredExperiment> update(String name, UnaryOperator<StoredExperiment> change);

    /** True if it existed. */
    Future<Boolean> delete(String name);

    /** Called (on an unspecified thread) after this replica's view changed. */
    void onChange(Runnable listener);

    @Override
    void close();
}
