package dev.modelgate.gateway.state;

import java.util.Optional;

/** An experiment before and after a change that was written (or found to change nothing); empty = absent. */
public record ChangeOutcome(Optional<StoredExperiment> before, Optional<StoredExperiment> after) {}
