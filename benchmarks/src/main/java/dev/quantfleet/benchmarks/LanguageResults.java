package dev.quantfleet.benchmarks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurements of the language suite: one row per model, the searches, and the targets,
 * written as Markdown into the report and as JSON.
 *
 * @param machine  the machine at the start of the comparison
 * @param data     {@link LanguageData#describe()}
 * @param rows     one per model, fp32 first
 * @param searches wall times and winners of the searches
 * @param targets  each target with the measured value and whether it was met
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LanguageResults(MachineDescription machine, String data, List<Row> rows, Searches searches,
                       List<LanguageTargets.Target> targets) {

    /**
     * One model on the evaluation pairs.
     *
     * @param name                   row name
     * @param origin                 where the model comes from, or the winning configuration
     * @param modelBytes             serialized size
     * @param sha256                 SHA-256 of the serialized model
     * @param recallAt1              Recall@1
     * @param recallAt1Low           lower end of its 95 % Wilson interval
     * @param recallAt1High          upper end of its 95 % Wilson interval
     * @param recallAt1StandardError binomial standard error {@code sqrt(p(1-p)/n)}
     * @param recallAt10             Recall@10
     * @param mrr                    mean reciprocal rank
     * @param meanCosine             mean cosine of sentence embeddings to fp32, over every query and document
     * @param minCosine              smallest such cosine
     * @param medianMs               median latency, 128 tokens, batch 1
     * @param p10Ms                  10th percentile of the latency
     * @param p90Ms                  90th percentile of the latency
     * @param searchWallTimeMs       wall time of the search that made the model; null when no search did
     * @param candidatesEvaluated    EVALUATE and SENSITIVITY tasks of that search; null when no search did
     * @param nodesInHigherPrecision MatMul and Gemm nodes run in float or 16 bits ({@link HigherPrecisionNodes})
     */
    record Row(String name, String origin, long modelBytes, String sha256, double recallAt1, double recallAt1Low,
               double recallAt1High, double recallAt1StandardError, double recallAt10, double mrr, double meanCosine,
               double minCosine, double medianMs, double p10Ms, double p90Ms, Long searchWallTimeMs,
               Integer candidatesEvaluated, int nodesInHigherPrecision) {
    }

    /**
     * The searches behind the Quantfleet rows.
     *
     * @param inProcessWallTimesMs     {@code LocalSearch.run} wall time of each in-process run
     * @param inProcessLoopTimesMs     {@code InProcessSearch.run} wall time of each in-process run
     * @param inProcessSha256          SHA-256 of each in-process winner
     * @param inProcessWinner          candidate id and configuration of the first winner
     * @param inProcessTrials          trials of the first run
     * @param calibrationMs            one calibration alone, from the cost breakdown
     * @param evaluationsMs            the first run's evaluations alone, one after the other
     * @param fleetCommand             the CLI command of the fleet search
     * @param fleetCommandWallTimeMs   wall time of that command: fleet start, search, download, stop
     * @param fleetSearchWallTimeMs    the search's own wall time from the fleet's report
     * @param fleetTrials              trials of the fleet search
     * @param fleetWinner              candidate id and configuration of the fleet winner
     * @param fleetNodesInHigherPrecision nodes the fleet report lists as kept in higher precision
     */
    record Searches(List<Long> inProcessWallTimesMs, List<Long> inProcessLoopTimesMs, List<String> inProcessSha256,
                    String inProcessWinner, int inProcessTrials, long calibrationMs, long evaluationsMs,
                    String fleetCommand, long fleetCommandWallTimeMs, long fleetSearchWallTimeMs, int fleetTrials,
                    String fleetWinner, int fleetNodesInHigherPrecision) {
    }

    /**
     * One model of the comparison and the search that made it.
     *
     * @param model               the model
     * @param searchWallTimeMs    wall time of that search; null when no search made the model
     * @param candidatesEvaluated EVALUATE and SENSITIVITY tasks of that search; null when no search made the model
     */
    record Contender(NamedModel model, Long searchWallTimeMs, Integer candidatesEvaluated) {

        static Contender published(NamedModel model) {
            return new Contender(model, null, null);
        }
    }

    /** Returns the search summary of the two in-process runs, the breakdown of the first, and the fleet run. */
    static Searches searches(TimedSearch first, TimedSearch second, SearchCostBreakdown breakdown, FleetSearch fleet) {
        return new Searches(List.of(first.wallTimeMs(), second.wallTimeMs()),
                List.of(first.searchLoopMs(), second.searchLoopMs()),
                List.of(Sha256.hex(first.result().winner().modelBytes()), Sha256.hex(second.result().winner().modelBytes())),
                first.winner().candidateId() + ": " + TimedSearch.describe(first.winner().config()),
                first.result().outcome().trials(), breakdown.calibrationMs(), breakdown.evaluationsMs(),
                String.join(" ", fleet.command()), fleet.wallTimeMs(), fleet.report().search().wallTimeMs(),
                fleet.report().search().trials(), fleet.report().winner().candidateId() + ": "
                        + TimedSearch.describe(fleet.report().winner().config()),
                fleet.report().winner().nodesInHigherPrecision().size());
    }

    /**
     * Collects one row per contender, in that order, and checks the targets.
     *
     * @param scores    {@link EmbeddingRetrieval#score} of the contenders' models, in the same order
     * @param latencies latencies of the contenders' models, in the same order
     */
    static LanguageResults of(LanguageData data, List<Contender> contenders, List<EmbeddingRetrieval.Scores> scores,
                              List<LatencyMeasurement.Latencies> latencies, Searches searches) {
        List<Row> rows = new ArrayList<>();
        for (int index = 0; index < contenders.size(); index++) {
            Contender contender = contenders.get(index);
            rows.add(row(contender.model(), scores.get(index), latencies.get(index), contender.searchWallTimeMs(),
                    contender.candidatesEvaluated()));
        }
        List<LanguageTargets.Target> targets = LanguageTargets.check(rows, latencies, searches);
        return new LanguageResults(MachineDescription.current(LanguageBenchmark.LATENCY_THREADS), data.describe(),
                rows, searches, targets);
    }

    private static Row row(NamedModel model, EmbeddingRetrieval.Scores scores, LatencyMeasurement.Latencies latency,
                           Long searchWallTimeMs, Integer candidatesEvaluated) {
        int queries = scores.texts() / 2;
        ProportionInterval interval = ProportionInterval.wilson95(scores.recallAt1(), queries);
        double[] runMs = latency.runMs();
        return new Row(model.name(), model.origin(), model.modelBytes().length, Sha256.hex(model.modelBytes()),
                scores.recallAt1(), interval.low(), interval.high(), interval.standardError(), scores.recallAt10(),
                scores.mrr(), scores.meanCosine(), scores.minCosine(), Distribution.of(runMs).median(),
                Distribution.quantileOf(runMs, 0.1), Distribution.quantileOf(runMs, 0.9), searchWallTimeMs,
                candidatesEvaluated, HigherPrecisionNodes.count(parse(model)));
    }

    /** Adds the comparison table, the search summary and the targets to {@code report}. */
    void addTo(BenchmarkReport report) {
        MarkdownTable table = new MarkdownTable("Model", "Recall@1 (95 % CI)", "Recall@10", "MRR",
                "Cosine to fp32 mean (min)", "Bytes", "Median ms (p10–p90)", "Search wall s", "Candidates evaluated",
                "MatMul nodes > 8 bit");
        for (Row row : rows) {
            table.row(row.name(), String.format("%.4f (%.4f–%.4f)", row.recallAt1(), row.recallAt1Low(),
                            row.recallAt1High()), String.format("%.4f", row.recallAt10()), String.format("%.4f", row.mrr()),
                    String.format("%.4f (%.4f)", row.meanCosine(), row.minCosine()),
                    String.format("%,d", row.modelBytes()),
                    String.format("%.2f (%.2f–%.2f)", row.medianMs(), row.p10Ms(), row.p90Ms()),
                    row.searchWallTimeMs() == null ? "–" : String.format("%.1f", row.searchWallTimeMs() / 1000.0),
                    row.candidatesEvaluated() == null ? "–" : row.candidatesEvaluated(), row.nodesInHigherPrecision());
        }
        report.add(table);
        MarkdownTable origins = new MarkdownTable("Model", "Origin", "SHA-256");
        rows.forEach(row -> origins.row(row.name(), row.origin(), row.sha256()));
        report.add(origins);
        report.add(String.format("In-process search: LocalSearch.run %,d ms and %,d ms in the two runs (search loop "
                        + "%,d and %,d ms). Fleet search: the command took %,d ms, the search inside it %,d ms by the "
                        + "fleet's report, %d trials; the report lists %d nodes in higher precision.",
                searches.inProcessWallTimesMs().get(0), searches.inProcessWallTimesMs().get(1),
                searches.inProcessLoopTimesMs().get(0), searches.inProcessLoopTimesMs().get(1),
                searches.fleetCommandWallTimeMs(), searches.fleetSearchWallTimeMs(), searches.fleetTrials(),
                searches.fleetNodesInHigherPrecision()));
        report.add("## Targets");
        report.add(LanguageTargets.table(targets));
        report.add(LanguageTargets.summary(targets));
    }

    /** Writes the results as indented JSON to {@code file}. */
    void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the results to " + file, e);
        }
        System.out.println("Results written to " + file);
    }

    private static ModelProto parse(NamedModel model) {
        try {
            return ModelProto.parseFrom(model.modelBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Model " + model.name() + " does not parse as an ONNX ModelProto", e);
        }
    }
}
