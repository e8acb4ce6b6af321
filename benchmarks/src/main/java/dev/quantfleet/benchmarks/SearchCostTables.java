package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.FidelityMetrics;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.TaskKind;

/** Formats a search's outcome and its cost breakdown as Markdown tables. */
final class SearchCostTables {

    private SearchCostTables() {
    }

    /** Adds what {@code search} ran and chose. */
    static void addOutcome(BenchmarkReport report, String title, TimedSearch search) {
        SearchOutcome outcome = search.result().outcome();
        CandidateResult winner = search.winner();
        String metric = search.spec().goal().metric();
        Evaluation baseline = outcome.baseline();
        long evaluated = outcome.results().stream().filter(result -> result.kind() == TaskKind.EVALUATE).count();
        long probes = outcome.results().stream().filter(result -> result.kind() == TaskKind.SENSITIVITY).count();
        report.add("## " + title);
        report.add(new MarkdownTable("Search", "Value")
                .row("goal", goal(search))
                .row("strategy, trial budget, seed", search.spec().strategy() + ", " + search.spec().budget().maxTrials()
                        + " trials, seed " + search.spec().seed())
                .row("candidates at once, ONNX Runtime threads per task", search.spec().threads() + ", "
                        + search.spec().settings().threads())
                .row("trials run (EVALUATE, SENSITIVITY)", outcome.trials() + " (" + evaluated + ", " + probes + ")")
                .row("stop reason", outcome.stopReason())
                .row("LocalSearch.run wall time ms", search.wallTimeMs())
                .row("winner", winner.candidateId() + ": " + TimedSearch.describe(winner.config()))
                .row("winner meets the goal", outcome.acceptable())
                .row("winner " + metric + " (float model)", String.format("%.4f (%.4f)", winner.evaluation().metric(metric),
                        baseline.metric(metric)))
                .row("winner output cosine (engine fidelity metric)", String.format("%.4f",
                        winner.evaluation().metric(FidelityMetrics.COSINE)))
                .row("winner bytes (float model)", String.format("%,d (%,d)", winner.evaluation().cost().modelBytes(),
                        baseline.cost().modelBytes())));
    }

    /** Adds the wall time of {@code search} against the sum of its parts run one at a time. */
    static void addCost(BenchmarkReport report, TimedSearch search, SearchCostBreakdown breakdown) {
        int parallelTasks = search.spec().threads();
        long outside = search.wallTimeMs() - search.searchLoopMs();
        report.add(new MarkdownTable("Part", "ms")
                .row("LocalSearch.run, whole", search.wallTimeMs())
                .row("InProcessSearch.run inside it (SearchOutcome.wallTimeMs)", search.searchLoopMs())
                .row("LocalSearch.run outside the search: load, hashes, opset check, winner quantized again, report",
                        outside)
                .row("calibration alone", breakdown.calibrationMs())
                .row("BASELINE alone", breakdown.baselineMs())
                .row(breakdown.evaluations().size() + " candidate evaluations alone, one after the other",
                        breakdown.evaluationsMs())
                .row("sequential sum S (calibration + BASELINE + evaluations)", breakdown.sequentialMs())
                .row("S / " + parallelTasks + " (candidates at once)", breakdown.sequentialMs() / parallelTasks)
                .row("round bound R: per round max(longest task, tasks / " + parallelTasks + "), summed",
                        breakdown.roundBoundMs(parallelTasks)));

        long target = breakdown.calibrationMs() + breakdown.evaluationsMs();
        report.add(new MarkdownTable("Ratio", "LocalSearch.run", "InProcessSearch.run")
                .row("wall / S", ratio(search.wallTimeMs(), breakdown.sequentialMs()),
                        ratio(search.searchLoopMs(), breakdown.sequentialMs()))
                .row("wall / (S / " + parallelTasks + ")", ratio(search.wallTimeMs() * parallelTasks,
                        breakdown.sequentialMs()), ratio(search.searchLoopMs() * parallelTasks, breakdown.sequentialMs()))
                .row("wall / (calibration + evaluations), target at most 1.2", ratio(search.wallTimeMs(), target),
                        ratio(search.searchLoopMs(), target))
                .row("wall / R", ratio(search.wallTimeMs(), breakdown.roundBoundMs(parallelTasks)),
                        ratio(search.searchLoopMs(), breakdown.roundBoundMs(parallelTasks))));

        MarkdownTable tasks = new MarkdownTable("Round", "Kind", "Candidate", "Configuration", "ms alone");
        tasks.row(0, "CALIBRATE", "float model", "", breakdown.calibrationMs());
        tasks.row(0, "BASELINE", "float model", "", breakdown.baselineMs());
        for (SearchCostBreakdown.TimedEvaluation evaluation : breakdown.evaluations()) {
            tasks.row(evaluation.round(), evaluation.kind(), evaluation.candidateId(), evaluation.config(),
                    evaluation.evaluationMs());
        }
        report.add(tasks);
    }

    private static String goal(TimedSearch search) {
        var goal = search.spec().goal();
        return goal.metric() + ", max drop " + goal.maxDrop() + (goal.relativeDrop() ? " % relative" : " absolute")
                + ", objective " + goal.objective().jsonName();
    }

    private static String ratio(long numerator, long denominator) {
        return String.format("%.2f", numerator / (double) denominator);
    }
}
