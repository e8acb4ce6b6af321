package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.coordinator.intake.AcceptedRequest;
import dev.quantfleet.coordinator.mapping.RoundArtifacts;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchTask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one running search: the open round's tasks, the engine results of the closed
 * rounds (cached sensitivity results included) and the files of round 0. Only the coordinator's
 * thread touches it.
 */
final class OpenSearch {

    private final AcceptedRequest accepted;
    private final long startedAtMs;
    private final List<CandidateResult> closedResults = new ArrayList<>();
    private final Map<String, SearchTask> roundTasks = new LinkedHashMap<>();
    private int round = -1;
    private RoundArtifacts roundZero = RoundArtifacts.none();
    private RoundCompleted pendingClose;

    OpenSearch(AcceptedRequest accepted, long startedAtMs) {
        this.accepted = accepted;
        this.startedAtMs = startedAtMs;
    }

    AcceptedRequest accepted() {
        return accepted;
    }

    String requestId() {
        return accepted.request().requestId();
    }

    long startedAtMs() {
        return startedAtMs;
    }

    int round() {
        return round;
    }

    Map<String, SearchTask> roundTasks() {
        return roundTasks;
    }

    List<CandidateResult> closedResults() {
        return closedResults;
    }

    RoundArtifacts roundZero() {
        return roundZero;
    }

    void roundZero(RoundArtifacts artifacts) {
        this.roundZero = artifacts;
    }

    RoundCompleted pendingClose() {
        return pendingClose;
    }

    void pendingClose(RoundCompleted close) {
        this.pendingClose = close;
    }

    /** Makes {@code tasks} the open round {@code newRound}. */
    void open(int newRound, List<SearchTask> tasks) {
        round = newRound;
        roundTasks.clear();
        tasks.forEach(task -> roundTasks.put(task.taskId(), task));
        pendingClose = null;
    }
}
