package dev.modelgate.gateway.state;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The single-node store: the view is the store. Writes are serialised; reads see an immutable copy. */
public final class InMemoryExperimentStore implements ExperimentStore {

    private volatile ExperimentsView view;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public InMemoryExperimentStore(List<StoredExperiment> seeds) {
        view = ExperimentsView.seeded(seeds);
    }

    @Override
    public Map<String, StoredExperiment> all() {
        return view.live();
    }

    @Override
    public synchronized Future<ChangeOutcome> change(String name, ExperimentChange change) {
        Optional<StoredExperiment> before = view.find(name);
        Optional<StoredExperiment> after;
        try {
            after = change.apply(before, view.live().values());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (after.equals(before)) {
            return Future.succeededFuture(new ChangeOutcome(before, before));
        }
        Optional<StoredExperiment> stamped = view.stamp(after);
        view = view.with(name, stamped);
        new ArrayList<>(listeners).forEach(Runnable::run);
        return Future.succeededFuture(new ChangeOutcome(before, stamped));
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
