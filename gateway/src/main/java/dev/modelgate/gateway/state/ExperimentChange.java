package dev.modelgate.gateway.state;

import java.util.Collection;
import java.util.Optional;

/**
 * A change to one experiment, computed from the latest state of the set. A store may call it more than
 * once: when another replica wrote in between, it is computed again from the newer state, so checks
 * against the whole set (one routing experiment per model) hold for the state that is actually written.
 */
@FunctionalInterface
public interface ExperimentChange {

    /**
     * @param current the experiment now, empty when it does not exist
     * @param all     every experiment now
     * @return its new value, empty to delete it; {@code current} itself to change nothing
     * @throws RuntimeException to refuse the change; the store's future fails with it
     */
    Optional<StoredExperiment> apply(Optional<StoredExperiment> current, Collection<StoredExperiment> all);
}
