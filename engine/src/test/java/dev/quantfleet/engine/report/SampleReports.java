package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantType;
import dev.quantfleet.engine.runtime.Provenance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds search reports for tests from a seeded generator: a float baseline of 4 MB with cosine
 * 1.0, twelve candidates whose cosine falls as their size falls, one FAILED and one UNSUPPORTED
 * candidate, and per-node sensitivity probes. The winner is the smallest candidate within the goal.
 */
final class SampleReports {

    static final long BASELINE_BYTES = 4_000_000;

    private SampleReports() {
    }

    /** Builds a report whose node names include {@code extraNodeName}; {@code latencyJitterMs} shifts every latency. */
    static SearchReport sample(long seed, String extraNodeName, double latencyJitterMs, long wallTimeMs) {
        Random random = new Random(seed);
        Goal goal = new Goal("cosine", MetricDirection.HIGHER_IS_BETTER, 0.01, DropMode.ABSOLUTE, Objective.SIZE,
                new Budget(40, 600_000L, false));
        Baseline baseline = new Baseline(new TreeMap<>(Map.of("mse", 0.0, "cosine", 1.0)),
                new Cost(BASELINE_BYTES, 0.0, latency(8.0 + latencyJitterMs)));

        List<CandidateEntry> candidates = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long bytes = 1_000_000 + 250_000L * i + random.nextInt(50_000);
            double cosine = 1.0 - 0.03 / (1 + i) - random.nextDouble() * 0.004;
            Map<String, Double> metrics = Map.of("cosine", cosine, "mse", (1 - cosine) * 0.5);
            Cost cost = new Cost(bytes, 0.5 + 0.04 * (11 - i), latency(4.0 + 0.2 * i + latencyJitterMs));
            CandidateKind kind = i % 4 == 3 ? CandidateKind.SENSITIVITY : CandidateKind.EVALUATE;
            candidates.add(CandidateEntry.from(id(i), i / 4, kind, config(i, extraNodeName),
                    Evaluation.ok(metrics, cost, List.of("MatMul_" + i))));
        }
        candidates.add(CandidateEntry.from("c12", 3, CandidateKind.EVALUATE,
                QuantConfig.builder().weightType(QuantType.QInt4).build(),
                Evaluation.unsupported("Could not find an implementation for DequantizeLinear(21) node with name 'w_dq'")));
        candidates.add(CandidateEntry.from("c13", 3, CandidateKind.EVALUATE, QuantConfig.builder().build(),
                Evaluation.failed("java.io.IOException: No space left on device")));

        List<NodeSensitivity> sensitivity = new ArrayList<>();
        String[] nodes = {"/encoder/layer.0/attention/MatMul", "/encoder/layer.0/output/dense/MatMul",
            "/pooler/Gemm", extraNodeName, "/embeddings/Gather"};
        String[] opTypes = {"MatMul", "MatMul", "Gemm", null, "Gather"};
        for (int i = 0; i < nodes.length; i++) {
            double drop = random.nextDouble() * 0.02 - 0.002;
            sensitivity.add(new NodeSensitivity(nodes[i], opTypes[i], SensitivityMode.ONLY_QUANTIZED, 1.0 - drop, drop,
                    i % 2 == 0));
        }
        sensitivity.add(new NodeSensitivity("/pooler/Gemm", "Gemm", SensitivityMode.ONLY_FLOAT, 0.9981, 0.0019, false));

        CandidateEntry winnerCandidate = candidates.stream()
                .filter(candidate -> candidate.isOk() && goal.accepts(1.0, candidate.metrics().get("cosine")))
                .min(Comparator.comparingLong(candidate -> candidate.cost().modelBytes()))
                .orElseThrow();
        Winner winner = new Winner(winnerCandidate.candidateId(), winnerCandidate.config(), winnerCandidate.metrics(),
                winnerCandidate.cost(), List.of(
                        new HigherPrecisionNode(extraNodeName, HigherPrecision.FLOAT,
                                "only-quantized drop 0.018 exceeds the goal's 0.01"),
                        new HigherPrecisionNode("/pooler/Gemm", HigherPrecision.INT16,
                                "int8 activations dropped cosine by 0.006; int16 by 0.0004")));
        ParetoFront front = ParetoFront.compute(goal, CostAxis.MODEL_BYTES, candidates);
        SearchSummary search = new SearchSummary("sensitivity-greedy", seed, 4, 14, "budget: no better candidate in round 3",
                wallTimeMs, 2);
        Provenance provenance = new Provenance("0.1.0-SNAPSHOT", "1.29.0", "CPUExecutionProvider", 2,
                "amd64: avx avx2 fma");
        boolean acceptable = goal.accepts(1.0, winner.metrics().get("cosine"));
        return new SearchReport(goal, acceptable, winner, baseline, candidates, sensitivity, front, search, provenance);
    }

    static SearchReport sample() {
        return sample(42, "<script>alert('node')</script>", 0, 12_345);
    }

    static String id(int index) {
        return String.format("c%02d", index);
    }

    private static QuantConfig config(int index, String excludedNode) {
        QuantConfig.Builder builder = QuantConfig.builder().perChannel(index % 2 == 0);
        if (index >= 6) {
            builder.nodesToExclude(List.of(excludedNode));
        }
        if (index >= 9) {
            builder.nodeOverrides(Map.of("/pooler/Gemm", NodeOverride.activations(QuantType.QUInt16)));
        }
        return builder.build();
    }

    private static Latency latency(double medianMs) {
        return new Latency(medianMs, medianMs * 0.95, medianMs * 1.1, 50, 5, 2, "CPUExecutionProvider");
    }
}
