package dev.quantfleet.engine.search;

import java.util.List;

/**
 * Proposes the tasks of the next round from everything known so far. A search creates one
 * instance per run (see {@link SearchStrategies#create}) and calls it once per round, never
 * concurrently. The proposal must be a function of the state alone (and of what the instance
 * derived from earlier states), so that a search is reproducible. An empty proposal ends the search.
 */
public interface SearchStrategy {

    /** The name the strategy is selected by. */
    String name();

    /** Returns the tasks of round {@code state.round()}; empty to end the search. */
    List<SearchProposal> propose(SearchState state);
}
