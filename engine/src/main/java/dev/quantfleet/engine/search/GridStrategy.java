package dev.quantfleet.engine.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Proposes every valid point of the space in index order ({@link SearchSpace#choicesAt}), as
 * many per round as the budget has trials left, at most {@value #MAX_ROUND_SIZE}.
 *
 * <p>The strategy keeps no position between rounds: each round scans from index 0 and takes the
 * first valid points that {@link SearchState#canEvaluate} still accepts. A point skipped once stays
 * skipped (it was evaluated, its combination came back UNSUPPORTED, or it is invalid), so this
 * proposes what resuming from the last proposed index would. The price is a scan over the indices
 * of earlier rounds, each building one candidate configuration.
 */
final class GridStrategy implements SearchStrategy {

    static final int MAX_ROUND_SIZE = 256;

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
        for (long index = 0; proposals.size() < wanted && index < count; index++) {
            SpacePoint point = space.point(space.choicesAt(index), state.request().facts());
            if (point.valid() && state.canEvaluate(point.config()) && chosen.add(SearchIds.candidateId(point.config()))) {
                proposals.add(SearchProposal.evaluate(point.config()));
            }
        }
        return proposals;
    }
}
