package dev.quantfleet.engine.search;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SearchDriver#nextRound} decided: either round {@link #round()} with its tasks, or the
 * end of the search with its reason.
 *
 * @param round         the round planned, or the round that would have come next when the search stops
 * @param tasks         the tasks to run, sorted by task id. The list is empty when the search
 *                      stops or when the sensitivity cache supplied every result of the round.
 * @param cachedResults results of round {@code round} taken from the sensitivity cache instead of
 *                      a trial; the caller stores them with the task results
 * @param stopReason    why the search stops, or null when it goes on
 */
public record RoundPlan(int round, List<SearchTask> tasks, List<CandidateResult> cachedResults,
                        StopReason stopReason) {

    public RoundPlan {
        tasks = List.copyOf(tasks);
        cachedResults = List.copyOf(cachedResults);
        if (stopReason != null && !(tasks.isEmpty() && cachedResults.isEmpty())) {
            throw new IllegalArgumentException("A plan that stops (" + stopReason + ") has no tasks and no cached"
                    + " results; got " + tasks.size() + " tasks and " + cachedResults.size() + " cached results");
        }
        if (stopReason == null && tasks.isEmpty() && cachedResults.isEmpty()) {
            throw new IllegalArgumentException("A plan that goes on has a task or a cached result in round " + round
                    + "; give a stop reason instead");
        }
    }

    static RoundPlan stop(int round, StopReason reason) {
        return new RoundPlan(round, List.of(), List.of(), Objects.requireNonNull(reason, "reason"));
    }

    /** Returns whether the search is over. */
    public boolean stops() {
        return stopReason != null;
    }
}
