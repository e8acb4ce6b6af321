package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The default strategy, in phases; a phase that has nothing to propose passes to the next.
 * <ol>
 *   <li>Presets: as {@link PresetsStrategy}.</li>
 *   <li>Sensitivity, only when no candidate is acceptable. The base is the preset with the best
 *       metric; under a compute or latency objective, the best among those with the fewest
 *       multiply-accumulates in float ({@link CandidateRanking#bestOfCheapest} under compute), so
 *       8-bit presets rather than 16-bit ones, which the CPU provider runs in float. Size does not
 *       narrow the choice: every preset stores 8-bit weights, and their sizes differ only by scales
 *       and zero points. One probe per node the base quantized ({@code Evaluation.quantizedNodes()}),
 *       or per block (coarser blocks, or runs of neighbouring nodes, as needed) when the uncached
 *       probes exceed the trials left minus those kept for mixed precision.</li>
 *   <li>Mixed precision: units sorted by sensitivity, largest first (failed probes first, then
 *       label); for k = 1, 2, 4, ... up to all units, the base with the top k units kept in float,
 *       and with 16-bit activations instead where the space allows it and the base is 8-bit QDQ.</li>
 *   <li>Bisection: between the smallest acceptable k kept in float and the largest smaller k that
 *       is not, one midpoint per round until they are adjacent.</li>
 *   <li>Narrowing: where the smallest acceptable set kept in float contains blocks or runs of
 *       several nodes, one candidate per node of them with that node quantized again, then one
 *       with every such node whose candidate met the goal quantized again.</li>
 *   <li>Fused form: under a compute or latency objective, the ContribFused form of the best
 *       acceptable QDQ candidate, where the execution provider runs it.</li>
 *   <li>Refinement: {@link TpeStrategy} while the budget lasts, each candidate carrying the node
 *       overrides of the best candidate before the first refinement round. This also runs when a
 *       preset met the goal, to lower the cost, unless the budget stops at the first acceptable
 *       candidate.</li>
 * </ol>
 *
 * <p>The strategy keeps nothing between calls. Each call rebuilds the phase machine by replaying
 * it over the states of the earlier rounds ({@link SearchState#asOfRound}) until it reaches the
 * refinement phase, then proposes for the current state. Every decision of the machine (phase,
 * base candidate, units ranked by sensitivity, the counts kept in float) depends only on those
 * states, so a fresh instance proposes what a long-lived one would. The replay costs one pass
 * of the phase machine per earlier round before refinement.
 */
final class AutoStrategy implements SearchStrategy {

    private enum Phase { PRESETS, SENSITIVITY, MIXED_PRECISION, BISECTION, NARROWING, FUSED_FORM, REFINEMENT }

    @Override
    public String name() {
        return SearchStrategies.AUTO;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        PhaseMachine machine = new PhaseMachine();
        for (int round = 1; round < state.round() && machine.phase != Phase.REFINEMENT; round++) {
            machine.propose(state.asOfRound(round), false);
        }
        return machine.propose(state, true);
    }

    /**
     * The phases and what they found, for one call. In a replayed round ({@code current} false)
     * the refinement phase only fixes its decorator and proposes nothing, since its proposals
     * change nothing in the machine.
     */
    private static final class PhaseMachine {

        private Phase phase = Phase.PRESETS;
        private CandidateResult base;
        private List<List<String>> unitsBySensitivity = List.of();
        private final SortedMap<Integer, QuantConfig> keptFloatByCount = new TreeMap<>();
        private List<String> keptNodes;
        private List<String> narrowedNodes;
        private TpeStrategy refinement;

        List<SearchProposal> propose(SearchState state, boolean current) {
            while (true) {
                boolean lastPhase = phase == Phase.REFINEMENT;
                List<SearchProposal> proposals = switch (phase) {
                    case PRESETS -> {
                        phase = Phase.SENSITIVITY;
                        yield PresetsStrategy.proposals(state);
                    }
                    case SENSITIVITY -> {
                        phase = Phase.MIXED_PRECISION;
                        yield sensitivityProbes(state);
                    }
                    case MIXED_PRECISION -> {
                        phase = Phase.BISECTION;
                        yield mixedPrecision(state);
                    }
                    case BISECTION -> {
                        List<SearchProposal> midpoint = bisection(state);
                        if (midpoint.isEmpty()) {
                            phase = Phase.NARROWING;
                        }
                        yield midpoint;
                    }
                    case NARROWING -> narrowing(state);
                    case FUSED_FORM -> {
                        phase = Phase.REFINEMENT;
                        yield fusedFormOfBest(state);
                    }
                    case REFINEMENT -> {
                        if (refinement == null) {
                            refinement = new TpeStrategy(overridesOfBest(state));
                        }
                        yield current ? refinement.propose(state) : List.of();
                    }
                };
                if (!proposals.isEmpty() || lastPhase) {
                    return proposals;
                }
            }
        }

        private List<SearchProposal> sensitivityProbes(SearchState state) {
            boolean anyAcceptable = state.results().stream().anyMatch(state.ranking()::acceptable);
            Optional<CandidateResult> best = state.request().goal().objective() == Objective.SIZE
                    ? state.evaluations().stream().filter(state.ranking()::ranked).min(state.ranking().qualityOrder())
                    : state.ranking().bestOfCheapest(state.evaluations(), Objective.COMPUTE);
            if (anyAcceptable || best.isEmpty() || best.get().evaluation().quantizedNodes().isEmpty()) {
                return List.of();
            }
            base = best.get();
            SensitivityMode mode = state.request().sensitivityMode();
            List<String> nodes = base.evaluation().quantizedNodes();
            int uncached = (int) nodes.stream().filter(node -> !state.isCached(probe(List.of(node), node, mode))).count();
            List<SearchProposal> proposals = new ArrayList<>();
            SensitivityProbes.units(nodes, uncached, probeBudget(state.remainingTrials()),
                            state.request().facts().nodeNames())
                    .forEach((label, unitNodes) -> proposals.add(probe(unitNodes, label, mode)));
            return proposals;
        }

        /**
         * Returns the trials that probes may use: the rest is kept for mixed precision, which needs
         * about two candidates per doubling of the nodes kept (a third of the trials left, from 2
         * up to 16).
         */
        private static int probeBudget(int remainingTrials) {
            int reserve = Math.min(Math.max(2, remainingTrials / 3), 16);
            return Math.max(1, remainingTrials - reserve);
        }

        private SearchProposal probe(List<String> nodes, String label, SensitivityMode mode) {
            return new SearchProposal(TaskKind.SENSITIVITY, SensitivityProbes.probe(base.config(), nodes, mode), label,
                    nodes, mode, base.candidateId());
        }

        private List<SearchProposal> mixedPrecision(SearchState state) {
            if (base == null) {
                return List.of();
            }
            rankUnits(state);
            if (unitsBySensitivity.isEmpty()) {
                return List.of();
            }
            SearchSpace space = state.request().space();
            boolean sixteenBit = space.nodePrecisions().contains(NodePrecision.ACTIVATIONS_16BIT)
                    && base.config().format() == QuantFormat.QDQ && base.config().activationType().bits() == 8
                    && state.request().facts().allows16And4Bit();
            List<SearchProposal> proposals = new ArrayList<>();
            for (int count = 1; ; count = Math.min(2 * count, unitsBySensitivity.size())) {
                if (space.nodePrecisions().contains(NodePrecision.FLOAT)) {
                    addIfNew(state, proposals, keptFloat(count));
                }
                if (sixteenBit) {
                    addIfNew(state, proposals, SensitivityProbes.withPrecision(base.config(), topNodes(count),
                            NodePrecision.ACTIVATIONS_16BIT));
                }
                if (count == unitsBySensitivity.size()) {
                    return proposals;
                }
            }
        }

        private void rankUnits(SearchState state) {
            Map<String, Double> sensitivity = Sensitivities.of(state.results(), state.request().goal(), state.baseline(),
                    base.candidateId());
            List<CandidateResult> probes = state.results().stream()
                    .filter(result -> result.kind() == TaskKind.SENSITIVITY
                            && base.candidateId().equals(result.baseCandidateId()))
                    .sorted(Comparator.comparing(CandidateResult::label)).toList();
            Comparator<CandidateResult> bySensitivity = Comparator.comparingDouble(
                    probe -> -sensitivity.getOrDefault(probe.label(), Double.POSITIVE_INFINITY));
            unitsBySensitivity = probes.stream().sorted(bySensitivity.thenComparing(CandidateResult::label))
                    .map(CandidateResult::nodes).toList();
        }

        private List<SearchProposal> bisection(SearchState state) {
            Integer smallestAcceptable = smallestAcceptableCount(state);
            int largestRejected = 0;
            for (Map.Entry<Integer, QuantConfig> entry : keptFloatByCount.entrySet()) {
                Optional<CandidateResult> result = resultOf(state, entry.getValue());
                if (result.isPresent() && !state.ranking().acceptable(result.get())
                        && (smallestAcceptable == null || entry.getKey() < smallestAcceptable)) {
                    largestRejected = entry.getKey();
                }
            }
            if (smallestAcceptable == null || smallestAcceptable - largestRejected <= 1) {
                return List.of();
            }
            int midpoint = (smallestAcceptable + largestRejected) / 2;
            if (keptFloatByCount.containsKey(midpoint)) {
                return List.of();
            }
            List<SearchProposal> proposals = new ArrayList<>();
            addIfNew(state, proposals, keptFloat(midpoint));
            return proposals;
        }

        /** Returns the smallest count of units kept in float whose candidate met the goal; null when none did. */
        private Integer smallestAcceptableCount(SearchState state) {
            for (Map.Entry<Integer, QuantConfig> entry : keptFloatByCount.entrySet()) {
                Optional<CandidateResult> result = resultOf(state, entry.getValue());
                if (result.isPresent() && state.ranking().acceptable(result.get())) {
                    return entry.getKey();
                }
            }
            return null;
        }

        /**
         * Narrows the smallest acceptable set of units kept in float down to nodes, in two rounds.
         * The first proposes the set without each node of its blocks and runs, one node at a time,
         * as many nodes as the trials left allow (one trial is kept for the second round). The
         * second proposes the set without every node whose removal still met the goal, when there
         * are two or more.
         */
        private List<SearchProposal> narrowing(SearchState state) {
            if (narrowedNodes == null) {
                Integer count = smallestAcceptableCount(state);
                if (count == null) {
                    phase = Phase.FUSED_FORM;
                    return List.of();
                }
                keptNodes = topNodes(count);
                List<String> grouped = unitsBySensitivity.subList(0, count).stream().filter(unit -> unit.size() > 1)
                        .flatMap(List::stream).toList();
                int room = Math.max(0, state.remainingTrials() - 1);
                narrowedNodes = grouped.subList(0, Math.min(grouped.size(), room));
                List<SearchProposal> proposals = new ArrayList<>();
                narrowedNodes.forEach(node -> addIfNew(state, proposals, keptFloatWithout(List.of(node))));
                if (!proposals.isEmpty()) {
                    return proposals;
                }
            }
            phase = Phase.FUSED_FORM;
            List<String> quantizable = narrowedNodes.stream()
                    .filter(node -> resultOf(state, keptFloatWithout(List.of(node)))
                            .filter(state.ranking()::acceptable).isPresent())
                    .toList();
            List<SearchProposal> proposals = new ArrayList<>();
            if (quantizable.size() > 1) {
                addIfNew(state, proposals, keptFloatWithout(quantizable));
            }
            return proposals;
        }

        /**
         * Proposes the ContribFused form of the best acceptable candidate under a compute or latency
         * objective, where the provider runs it. It computes the same integer products with the bias
         * Add fused in. On MiniLM it ran 5 to 8 % faster than the Standard QDQ form in two runs. It
         * wins when its metric is as good, because ranking then prefers the smaller model.
         */
        private static List<SearchProposal> fusedFormOfBest(SearchState state) {
            Optional<CandidateResult> best = state.ranking().best(state.results()).filter(state.ranking()::acceptable);
            boolean speedObjective = state.request().goal().objective() != Objective.SIZE;
            if (best.isEmpty() || !speedObjective || best.get().config().operatorForm() != OperatorForm.Standard
                    || best.get().config().format() != QuantFormat.QDQ) {
                return List.of();
            }
            List<SearchProposal> proposals = new ArrayList<>();
            try {
                addIfNew(state, proposals, best.get().config().toBuilder().operatorForm(OperatorForm.ContribFused).build());
            } catch (InvalidQuantConfigException e) {
                return List.of();
            }
            return proposals;
        }

        private QuantConfig keptFloatWithout(List<String> nodes) {
            List<String> stillFloat = keptNodes.stream().filter(node -> !nodes.contains(node)).toList();
            return SensitivityProbes.onlyFloat(base.config(), stillFloat);
        }

        private QuantConfig keptFloat(int count) {
            QuantConfig config = SensitivityProbes.onlyFloat(base.config(), topNodes(count));
            keptFloatByCount.put(count, config);
            return config;
        }

        private List<String> topNodes(int count) {
            return unitsBySensitivity.subList(0, count).stream().flatMap(List::stream).sorted().toList();
        }

        /** Returns the evaluation of {@code config}; empty for a null config, one that could not be built. */
        private static Optional<CandidateResult> resultOf(SearchState state, QuantConfig config) {
            if (config == null) {
                return Optional.empty();
            }
            String id = SearchIds.candidateId(config);
            return state.evaluations().stream().filter(result -> result.candidateId().equals(id)).findFirst();
        }

        private static void addIfNew(SearchState state, List<SearchProposal> proposals, QuantConfig config) {
            if (config != null && state.canEvaluate(config)
                    && proposals.stream().noneMatch(proposal -> proposal.config().equals(config))) {
                proposals.add(SearchProposal.evaluate(config));
            }
        }

        /** Returns a decorator that adds the node overrides of the best candidate so far to a candidate. */
        private static UnaryOperator<QuantConfig> overridesOfBest(SearchState state) {
            Map<String, NodeOverride> overrides = state.ranking().best(state.results())
                    .map(best -> best.config().nodeOverrides()).orElse(Map.of());
            if (overrides.isEmpty()) {
                return UnaryOperator.identity();
            }
            return config -> {
                Map<String, NodeOverride> merged = new TreeMap<>(config.nodeOverrides());
                merged.putAll(overrides);
                return config.toBuilder().nodeOverrides(merged).build();
            };
        }
    }
}
