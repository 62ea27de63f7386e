package dev.modelgate.experiments.stats.decision;

/** What to do with an experiment now. */
public enum Decision {
    /** A primary metric improved significantly and nothing was harmed. */
    SHIP,
    /** Nothing significant yet and the planned sample is not reached: collecting more data can still tell. */
    KEEP_RUNNING,
    /** A guardrail or primary metric is significantly harmed: roll the treatment back. */
    STOP,
    /** The data cannot support a decision: planned sample reached without an effect, or results untrustworthy. */
    INCONCLUSIVE
}
