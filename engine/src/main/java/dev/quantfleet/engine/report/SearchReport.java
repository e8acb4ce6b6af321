package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.quantfleet.engine.runtime.Provenance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The content of {@code report.json}: what was asked, what was tried, what won and why. The
 * schema is documented in {@code docs/report-schema.md}.
 *
 * <p>Two searches with equal inputs, seed and {@link Provenance} give reports that differ only in
 * the timing fields ({@code search.wallTimeMs} and every {@code cost.latency});
 * {@link #toJsonWithoutTiming()} drops exactly those.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param goal          the quality goal, objective and budget
 * @param acceptable    whether the winner meets the goal; false when there is no winner
 * @param winner        the chosen candidate, or null when no candidate was OK
 * @param baseline      the float model's metrics and cost
 * @param candidates    every evaluated candidate in evaluation order
 * @param sensitivity   per-node sensitivity probes in the order measured; empty when none ran
 * @param paretoFront   the quality/cost front over the OK candidates
 * @param search        strategy, seed, counts, stop reason and wall time
 * @param provenance    software versions, execution provider, threads and CPU features
 * @param lineage       for a re-quantization, the earlier search and the model event it came from.
 *                      Null otherwise and then left out of the JSON, so other reports do not change
 */
@JsonPropertyOrder({"schemaVersion", "goal", "acceptable", "winner", "baseline", "candidates", "sensitivity",
    "paretoFront", "search", "provenance", "lineage"})
public record SearchReport(int schemaVersion, Goal goal, boolean acceptable, Winner winner, Baseline baseline,
                           List<CandidateEntry> candidates, List<NodeSensitivity> sensitivity,
                           ParetoFront paretoFront, SearchSummary search, Provenance provenance,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage) {

    /** The version of the schema this class writes and reads; raised on every incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    public SearchReport {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("Report schema version " + schemaVersion + " is not supported;"
                    + " this Quantfleet reads version " + SCHEMA_VERSION);
        }
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(paretoFront, "paretoFront");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(provenance, "provenance");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        sensitivity = sensitivity == null ? List.of() : List.copyOf(sensitivity);
        if (winner == null && acceptable) {
            throw new IllegalArgumentException("A report without a winner cannot be acceptable");
        }
        checkCandidateIds(candidates, winner, paretoFront);
    }

    /** Creates a report without lineage. */
    public SearchReport(int schemaVersion, Goal goal, boolean acceptable, Winner winner, Baseline baseline,
                        List<CandidateEntry> candidates, List<NodeSensitivity> sensitivity, ParetoFront paretoFront,
                        SearchSummary search, Provenance provenance) {
        this(schemaVersion, goal, acceptable, winner, baseline, candidates, sensitivity, paretoFront, search,
                provenance, null);
    }

    /** Creates a report of the current schema version without lineage. */
    public SearchReport(Goal goal, boolean acceptable, Winner winner, Baseline baseline,
                        List<CandidateEntry> candidates, List<NodeSensitivity> sensitivity, ParetoFront paretoFront,
                        SearchSummary search, Provenance provenance) {
        this(SCHEMA_VERSION, goal, acceptable, winner, baseline, candidates, sensitivity, paretoFront, search,
                provenance);
    }

    /** Returns this report with {@code newLineage}, or without lineage when it is null. */
    public SearchReport withLineage(Lineage newLineage) {
        return new SearchReport(schemaVersion, goal, acceptable, winner, baseline, candidates, sensitivity,
                paretoFront, search, provenance, newLineage);
    }

    /** Returns the candidate with id {@code candidateId}, if the report has it. */
    public Optional<CandidateEntry> candidate(String candidateId) {
        return candidates.stream().filter(candidate -> candidate.candidateId().equals(candidateId)).findFirst();
    }

    /** Returns the goal metric of the float model, or NaN when the baseline lacks it. */
    public double baselineGoalMetric() {
        Double value = baseline.metrics().get(goal.metric());
        return value == null ? Double.NaN : value;
    }

    /** Writes {@code report.json}: indented, properties in a fixed order, maps sorted by key. */
    public String toJson() {
        return ReportJson.write(this);
    }

    /** Writes the JSON of {@link #toJson()} without the timing fields, for comparing two runs. */
    public String toJsonWithoutTiming() {
        return ReportJson.writeWithoutTiming(this);
    }

    /**
     * Reads {@code report.json}; rejects unknown properties, missing properties other than the
     * optional {@code lineage}, and other schema versions.
     */
    public static SearchReport fromJson(String json) {
        return ReportJson.read(json);
    }

    private static void checkCandidateIds(List<CandidateEntry> candidates, Winner winner, ParetoFront front) {
        Set<String> ids = new HashSet<>();
        for (CandidateEntry candidate : candidates) {
            if (!ids.add(candidate.candidateId())) {
                throw new IllegalArgumentException("Candidate id " + candidate.candidateId()
                        + " appears twice; candidate ids must be unique within a report");
            }
        }
        if (winner != null && !ids.contains(winner.candidateId())) {
            throw new IllegalArgumentException("Winner " + winner.candidateId() + " is not among the candidates "
                    + ids.stream().sorted().toList() + "; add it to the candidates");
        }
        for (String id : front.candidateIds()) {
            if (!ids.contains(id)) {
                throw new IllegalArgumentException("Pareto front candidate " + id + " is not among the candidates");
            }
        }
    }
}
