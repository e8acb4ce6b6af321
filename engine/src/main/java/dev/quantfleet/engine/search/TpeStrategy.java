package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A Tree-structured Parzen Estimator over the categorical dimensions of the search space.
 *
 * <p>Every EVALUATE result whose configuration {@link SearchSpace#locate locates} in the space is
 * an observation with a loss, lower being better:
 * <pre>
 *   loss = penalty + normalizedCost
 *   penalty = 0                                 acceptable
 *           = 1 + excess / (excess + maxDrop)   metric drop exceeds the goal by excess > 0
 *           = 3                                 not OK, or no metric
 *   normalizedCost = 0.999 * cost / (largest cost observed), 0.999 when the cost is NaN
 * </pre>
 * so every acceptable candidate beats every unacceptable one. Sorted by loss (then candidate
 * id), the best {@value #GOOD_QUANTILE} share (at least one) is "good" and the rest "bad". Per
 * dimension d and value v, with add-one smoothing over the dimension's K values:
 * {@code g_d(v) = (goodCount + 1) / (goodTotal + K)}, {@code b_d(v)} likewise over the bad set.
 * Each proposal draws {@value #DRAWS_PER_PROPOSAL} points from the good densities (dimensions
 * independent) and keeps the valid new one with the largest {@code sum_d log(g_d(v) / b_d(v))},
 * the first drawn on ties. Below {@value #STARTUP_OBSERVATIONS} observations it draws uniformly
 * as {@link RandomStrategy} does. Random numbers come from a generator seeded with
 * {@code SearchIds.seed(requestSeed, "tpe/r<round>")}.
 *
 * <p>A decorator may change each drawn candidate before it is proposed, e.g. to keep the nodes
 * that the {@code auto} strategy found sensitive in float; a decorated candidate that is invalid is skipped.
 */
final class TpeStrategy implements SearchStrategy {

    static final double GOOD_QUANTILE = 0.25;
    static final int STARTUP_OBSERVATIONS = 6;
    static final int DRAWS_PER_PROPOSAL = 24;
    static final int ROUND_SIZE = 4;
    static final int ATTEMPTS_PER_PROPOSAL = 200;

    private final UnaryOperator<QuantConfig> decorator;

    TpeStrategy() {
        this(UnaryOperator.identity());
    }

    TpeStrategy(UnaryOperator<QuantConfig> decorator) {
        this.decorator = decorator;
    }

    @Override
    public String name() {
        return SearchStrategies.TPE;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        Random random = new Random(SearchIds.seed(state.request().seed(), "tpe/r" + state.round()));
        int wanted = Math.min(ROUND_SIZE, state.remainingTrials());
        List<Observation> observations = observe(state);
        Map<String, QuantConfig> chosen = new LinkedHashMap<>();
        if (observations.size() >= STARTUP_OBSERVATIONS) {
            Densities densities = Densities.of(observations, state.request().space().dimensionSizes());
            for (int slot = 0; slot < wanted; slot++) {
                proposeLikelyGood(state, densities, random, chosen);
            }
        }
        for (int attempt = 0; attempt < wanted * ATTEMPTS_PER_PROPOSAL && chosen.size() < wanted; attempt++) {
            QuantConfig config = decorate(RandomStrategy.draw(state, random));
            if (config != null && state.canEvaluate(config)) {
                chosen.putIfAbsent(SearchIds.candidateId(config), config);
            }
        }
        return chosen.values().stream().map(SearchProposal::evaluate).toList();
    }

    private void proposeLikelyGood(SearchState state, Densities densities, Random random,
                                   Map<String, QuantConfig> chosen) {
        QuantConfig best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int draw = 0; draw < DRAWS_PER_PROPOSAL; draw++) {
            List<Integer> choices = densities.sampleGood(random);
            QuantConfig config = decorate(state.request().space().point(choices, state.request().facts()).config());
            if (config == null || !state.canEvaluate(config) || chosen.containsKey(SearchIds.candidateId(config))) {
                continue;
            }
            double score = densities.logRatio(choices);
            if (score > bestScore) {
                bestScore = score;
                best = config;
            }
        }
        if (best != null) {
            chosen.put(SearchIds.candidateId(best), best);
        }
    }

    private QuantConfig decorate(QuantConfig config) {
        if (config == null) {
            return null;
        }
        try {
            return decorator.apply(config);
        } catch (InvalidQuantConfigException e) {
            return null;
        }
    }

    private static List<Observation> observe(SearchState state) {
        List<CandidateResult> located = new ArrayList<>();
        List<List<Integer>> choices = new ArrayList<>();
        for (CandidateResult result : state.evaluations()) {
            Optional<List<Integer>> point = state.request().space().locate(result.config());
            if (point.isPresent()) {
                located.add(result);
                choices.add(point.get());
            }
        }
        SearchGoal goal = state.request().goal();
        double maxCost = located.stream().filter(state.ranking()::ranked)
                .mapToDouble(result -> goal.objective().of(result.evaluation().cost()))
                .filter(cost -> !Double.isNaN(cost)).max().orElse(1);
        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < located.size(); i++) {
            CandidateResult result = located.get(i);
            observations.add(new Observation(choices.get(i), result.candidateId(),
                    loss(state, result, maxCost <= 0 ? 1 : maxCost)));
        }
        observations.sort(Comparator.comparingDouble(Observation::loss).thenComparing(Observation::candidateId));
        return observations;
    }

    private static double loss(SearchState state, CandidateResult result, double maxCost) {
        if (!state.ranking().ranked(result)) {
            return 3;
        }
        SearchGoal goal = state.request().goal();
        Evaluation evaluation = result.evaluation();
        double cost = goal.objective().of(evaluation.cost());
        double normalizedCost = Double.isNaN(cost) ? 0.999 : 0.999 * cost / maxCost;
        double excess = goal.dropInGoalUnits(state.baseline(), evaluation) - goal.maxDrop();
        if (excess <= 0) {
            return normalizedCost;
        }
        double scale = Math.max(goal.maxDrop(), 1e-12);
        return 1 + excess / (excess + scale) + normalizedCost;
    }

    private record Observation(List<Integer> choices, String candidateId, double loss) {
    }

    /** The smoothed per-dimension value frequencies of the good and the bad observations. */
    private record Densities(List<double[]> good, List<double[]> bad) {

        static Densities of(List<Observation> sortedByLoss, List<Integer> sizes) {
            int goodCount = Math.max(1, (int) Math.ceil(GOOD_QUANTILE * sortedByLoss.size()));
            List<Observation> goodSet = sortedByLoss.subList(0, goodCount);
            List<Observation> badSet = sortedByLoss.subList(goodCount, sortedByLoss.size());
            return new Densities(frequencies(goodSet, sizes), frequencies(badSet, sizes));
        }

        private static List<double[]> frequencies(List<Observation> observations, List<Integer> sizes) {
            List<double[]> densities = new ArrayList<>();
            for (int dimension = 0; dimension < sizes.size(); dimension++) {
                double[] density = new double[sizes.get(dimension)];
                for (Observation observation : observations) {
                    density[observation.choices().get(dimension)]++;
                }
                for (int value = 0; value < density.length; value++) {
                    density[value] = (density[value] + 1) / (observations.size() + density.length);
                }
                densities.add(density);
            }
            return densities;
        }

        List<Integer> sampleGood(Random random) {
            List<Integer> choices = new ArrayList<>();
            for (double[] density : good) {
                double u = random.nextDouble();
                int value = 0;
                for (double cumulative = density[0]; u >= cumulative && value < density.length - 1; ) {
                    cumulative += density[++value];
                }
                choices.add(value);
            }
            return choices;
        }

        double logRatio(List<Integer> choices) {
            double score = 0;
            for (int dimension = 0; dimension < choices.size(); dimension++) {
                int value = choices.get(dimension);
                score += Math.log(good.get(dimension)[value]) - Math.log(bad.get(dimension)[value]);
            }
            return score;
        }
    }
}
