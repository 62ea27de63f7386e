package dev.modelgate.gateway.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One replica's versioned view of the experiment set. {@code revision} counts the writes to the set and
 * only grows; every experiment carries the revision at which it was last written, and a deleted one
 * leaves a tombstone with the revision of its deletion, so that two views can be merged experiment by
 * experiment (the higher revision wins) without a deletion coming back. {@code epoch} names the store's
 * generation of data: a store that lost its data has none, and a replica that sees another one than it
 * holds knows the store was repopulated without it.
 *
 * @param epoch    the store generation this view was read from; empty before any store was read
 * @param revision the set's revision
 * @param live     experiments by name
 * @param deleted  tombstones: revision of the deletion by name
 */
record ExperimentsView(String epoch, long revision, Map<String, StoredExperiment> live, Map<String, Long> deleted) {

    ExperimentsView {
        live = Map.copyOf(live);
        deleted = Map.copyOf(deleted);
    }

    /** A replica's view before it read any store: the configured experiments, older than any write. */
    static ExperimentsView seeded(List<StoredExperiment> seeds) {
        Map<String, StoredExperiment> live = new HashMap<>();
        seeds.forEach(seed -> live.put(seed.name(), seed));
        return new ExperimentsView("", 0, live, Map.of());
    }

    Optional<StoredExperiment> find(String name) {
        return Optional.ofNullable(live.get(name));
    }

    /** The experiment as it would be written next: stamped with the next revision of the set. */
    Optional<StoredExperiment> stamp(Optional<StoredExperiment> next) {
        return next.map(experiment -> experiment.atRevision(revision + 1));
    }

    /** This view after writing {@code stamped} (empty: a deletion) under {@code name} as the next revision. */
    ExperimentsView with(String name, Optional<StoredExperiment> stamped) {
        Map<String, StoredExperiment> nextLive = new HashMap<>(live);
        Map<String, Long> nextDeleted = new HashMap<>(deleted);
        if (stamped.isPresent()) {
            nextLive.put(name, stamped.get());
            nextDeleted.remove(name);
        } else {
            nextLive.remove(name);
            nextDeleted.put(name, revision + 1);
        }
        return new ExperimentsView(epoch, revision + 1, nextLive, nextDeleted);
    }
}
