package dev.quantfleet.engine.search;

/** Why a search stopped proposing rounds. */
public enum StopReason {
    /** The strategy proposed nothing new. */
    STRATEGY_DONE,
    /** The trials of the budget are spent. */
    MAX_TRIALS,
    /** The wall-clock deadline passed. */
    DEADLINE,
    /** An acceptable candidate was found and the budget asked to stop at the first one. */
    FIRST_ACCEPTABLE,
    /** The float model could not be evaluated, so no candidate can be judged. */
    BASELINE_FAILED
}
