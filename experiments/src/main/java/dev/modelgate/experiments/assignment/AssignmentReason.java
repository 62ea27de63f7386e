package dev.modelgate.experiments.assignment;

/** Why a request got its variant; logged with every prediction so analyses can filter on it. */
public enum AssignmentReason {
    /** Sticky: the unit's hash bucket fell in the variant's range. */
    HASH,
    /** No unit id: a per-request random bucket. Not sticky, so per-unit analyses should exclude it. */
    RANDOM,
    /** An allowed caller asked for the variant explicitly. */
    FORCED,
    /** A targeting rule routed the request to the variant. */
    TARGETED,
    /** Outside the experiment (held out, excluded by targeting, experiment not running): the default variant. */
    DEFAULT,
    /** Set by the gateway when the assigned variant failed and another one served the request. */
    FALLBACK
}
