package dev.quantfleet.engine.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Proposes every valid point of the space in index order ({@link SearchSpace#choicesAt}), as
 * many per round as the budget has trials left, at most {@value #MAX_ROUND_SIZE}.
 */
final class GridStrategy implements SearchStrategy {

    static final int MAX_ROUND_SIZE = 256;

    private long nextIndex;

    @Override
    public String name() {
        return SearchStrategies.GRID;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        SearchSpace space = state.request().space();
        int wanted = Math.min(MAX_ROUND_SIZE, state.remainingTrials());
        Set<String> chosen = new LinkedHashSet<>();
        List<SearchProposal> proposals = new ArrayList<>();
        long count = space.pointCount();
        while (proposals.size() < wanted && nextIndex < count) {
            SpacePoint point = space.point(space.choicesAt(nextIndex++), state.request().facts());
            if (point.valid() && state.canEvaluate(point.config()) && chosen.add(SearchIds.candidateId(point.config()))) {
                proposals.add(SearchProposal.evaluate(point.config()));
            }
        }
        return proposals;
    }
}
