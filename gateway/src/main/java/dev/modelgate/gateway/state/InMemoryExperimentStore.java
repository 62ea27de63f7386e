package dev.modelgate.gateway.state;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** The single-node store: the view is the store. Writes are serialised; reads see an immutable copy. */
public final class InMemoryExperimentStore implements ExperimentStore {

    private volatile Map<String, StoredExperiment> experiments = Map.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, StoredExperiment> all() {
        return experiments;
    }

    @Override
    public synchronized Future<StoredExperiment> put(StoredExperiment experiment) {
        Map<String, StoredExperiment> next = new LinkedHashMap<>(experiments);
        next.put(experiment.name(), experiment);
        publish(next);
        return Future.succeededFuture(experiment);
    }

    @Override
    public synchronized Future<StoredExperiment> update(String name, UnaryOperator<StoredExperiment> change) {
        StoredExperiment current = experiments.get(name);
        if (current == null) {
            return Future.failedFuture(new NoSuchElementException("experiment '" + name + "' not found"));
        }
        try {
            return put(change.apply(current));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public synchronized Future<Boolean> delete(String name) {
        if (!experiments.containsKey(name)) {
            return Future.succeededFuture(false);
        }
        Map<String, StoredExperiment> next = new LinkedHashMap<>(experiments);
        next.remove(name);
        publish(next);
        return Future.succeededFuture(true);
    }

    private void publish(Map<String, StoredExperiment> next) {
        experiments = Map.copyOf(next);
        new ArrayList<>(listeners).forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
