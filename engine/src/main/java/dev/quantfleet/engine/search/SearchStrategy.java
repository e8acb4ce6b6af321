package dev.quantfleet.engine.search;

import java.util.List;

/**
 * Proposes the tasks of the next round from everything known so far. An implementation keeps no
 * state between calls: the proposal is a function of the state alone (request, round number and
 * results sorted by task id, plus {@link SearchState#isCached}). {@link SearchDriver} therefore
 * creates a fresh instance for every round, and a search that restarts from its stored results
 * proposes what an uninterrupted one would. An empty proposal ends the search.
 */
public interface SearchStrategy {

    /** The name the strategy is selected by. */
    String name();

    /** Returns the tasks of round {@code state.round()}; empty to end the search. */
    List<SearchProposal> propose(SearchState state);
}
