package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.FidelityMetrics;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.TaskKind;

/** Formats every candidate a search evaluated, with the numbers it chose by, as a Markdown table. */
final class SearchCandidates {

    private SearchCandidates() {
    }

    /**
     * Returns one row per EVALUATE and SENSITIVITY task of {@code search}, in the order run: the
     * goal metric on the search's own pairs, its drop against the float model in the goal's units,
     * the engine's output cosine, the size, and whether the candidate meets the goal.
     */
    static MarkdownTable table(TimedSearch search) {
        SearchOutcome outcome = search.result().outcome();
        SearchGoal goal = search.spec().goal();
        String metric = goal.metric();
        MarkdownTable table = new MarkdownTable("Round", "Kind", "Candidate", "Configuration", metric + " (search pairs)",
                "Drop", "Output cosine", "Bytes", "Meets goal");
        table.row(0, TaskKind.BASELINE, "float model", "", String.format("%.4f", outcome.baseline().metric(metric)),
                "", "", String.format("%,d", outcome.baseline().cost().modelBytes()), "");
        for (CandidateResult result : outcome.results()) {
            if (result.kind() != TaskKind.EVALUATE && result.kind() != TaskKind.SENSITIVITY) {
                continue;
            }
            String configuration = result.config() == null ? "" : TimedSearch.describe(result.config())
                    + (result.label() == null ? "" : ", probe " + result.label());
            if (result.evaluation().status() != EvaluationStatus.OK) {
                table.row(result.round(), result.kind(), result.candidateId(), configuration,
                        result.evaluation().status(), "", "", "", "no");
                continue;
            }
            table.row(result.round(), result.kind(), result.candidateId(), configuration,
                    String.format("%.4f", result.evaluation().metric(metric)),
                    String.format("%.4f", goal.dropInGoalUnits(outcome.baseline(), result.evaluation())),
                    String.format("%.4f", result.evaluation().metric(FidelityMetrics.COSINE)),
                    String.format("%,d", result.evaluation().cost().modelBytes()),
                    goal.accepts(outcome.baseline(), result.evaluation()) ? "yes" : "no");
        }
        return table;
    }
}
