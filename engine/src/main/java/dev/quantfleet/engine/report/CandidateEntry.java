package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.Objects;
import java.util.SortedMap;

/**
 * One evaluated candidate.
 *
 * @param candidateId unique id within the report
 * @param round       search round that proposed it, from 0
 * @param kind        a proposal (EVALUATE) or a per-node probe (SENSITIVITY)
 * @param config      its quantization configuration
 * @param status      OK, FAILED or UNSUPPORTED
 * @param metrics     metric name to value, sorted by name; empty unless OK
 * @param cost        size, integer share and latency; null unless OK
 * @param reason      why the status is not OK; null when OK
 * @param cached      the evaluation came from the sensitivity cache of an earlier search, so it used no trial
 */
@JsonPropertyOrder({"candidateId", "round", "kind", "config", "status", "metrics", "cost", "reason", "cached"})
public record CandidateEntry(String candidateId, int round, CandidateKind kind, QuantConfig config,
                              EvaluationStatus status, SortedMap<String, Double> metrics, Cost cost, String reason,
                              boolean cached) {

    public CandidateEntry {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(status, "status");
        metrics = Metrics.sortedCopy(metrics);
        if (round < 0) {
            throw new IllegalArgumentException("Candidate " + candidateId + " has round " + round + "; rounds count from 0");
        }
        if (status == EvaluationStatus.OK && (cost == null || reason != null)) {
            throw new IllegalArgumentException("Candidate " + candidateId + " is OK, so it needs a cost and no reason;"
                    + " got cost " + cost + " and reason " + reason);
        }
        if (status != EvaluationStatus.OK && reason == null) {
            throw new IllegalArgumentException("Candidate " + candidateId + " is " + status + " without a reason;"
                    + " pass the error message as the reason");
        }
    }

    /** Creates an entry that was evaluated in this search, not read from a cache. */
    public CandidateEntry(String candidateId, int round, CandidateKind kind, QuantConfig config,
                          EvaluationStatus status, SortedMap<String, Double> metrics, Cost cost, String reason) {
        this(candidateId, round, kind, config, status, metrics, cost, reason, false);
    }

    /** Copies the status, metrics, cost and reason of {@code evaluation}. */
    public static CandidateEntry from(String candidateId, int round, CandidateKind kind, QuantConfig config,
                                       Evaluation evaluation, boolean cached) {
        return new CandidateEntry(candidateId, round, kind, config, evaluation.status(), evaluation.metrics(),
                evaluation.cost(), evaluation.reason(), cached);
    }

    /** Copies the status, metrics, cost and reason of {@code evaluation}, an evaluation of this search. */
    public static CandidateEntry from(String candidateId, int round, CandidateKind kind, QuantConfig config,
                                       Evaluation evaluation) {
        return from(candidateId, round, kind, config, evaluation, false);
    }

    @JsonIgnore
    public boolean isOk() {
        return status == EvaluationStatus.OK;
    }
}
