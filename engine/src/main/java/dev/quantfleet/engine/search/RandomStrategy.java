package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Proposes up to {@value #ROUND_SIZE} valid, new points per round, each dimension drawn
 * uniformly by a generator seeded with {@code SearchIds.seed(requestSeed, "random/r<round>")}.
 * Ends when {@value #ATTEMPTS_PER_PROPOSAL} draws per wanted point find nothing new.
 */
final class RandomStrategy implements SearchStrategy {

    static final int ROUND_SIZE = 8;
    static final int ATTEMPTS_PER_PROPOSAL = 200;

    @Override
    public String name() {
        return SearchStrategies.RANDOM;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        Random random = new Random(SearchIds.seed(state.request().seed(), "random/r" + state.round()));
        int wanted = Math.min(ROUND_SIZE, state.remainingTrials());
        Map<String, QuantConfig> chosen = new LinkedHashMap<>();
        for (int attempt = 0; attempt < wanted * ATTEMPTS_PER_PROPOSAL && chosen.size() < wanted; attempt++) {
            QuantConfig config = draw(state, random);
            if (config != null && state.canEvaluate(config)) {
                chosen.putIfAbsent(SearchIds.candidateId(config), config);
            }
        }
        List<SearchProposal> proposals = new ArrayList<>();
        chosen.values().forEach(config -> proposals.add(SearchProposal.evaluate(config)));
        return proposals;
    }

    /** Returns the candidate of a uniformly drawn point, or null when that point is skipped. */
    static QuantConfig draw(SearchState state, Random random) {
        SearchSpace space = state.request().space();
        List<Integer> choices = new ArrayList<>();
        for (int size : space.dimensionSizes()) {
            choices.add(random.nextInt(size));
        }
        return space.point(choices, state.request().facts()).config();
    }
}
