package dev.quantfleet.engine.search;

/**
 * Progress of a search after one task finished.
 *
 * @param round              the running round
 * @param tasksDone          tasks of the round finished so far
 * @param tasksInRound       tasks in the round
 * @param bestCandidateId    the best candidate of the earlier rounds, or null
 * @param bestIsAcceptable   whether that candidate meets the goal
 */
public record SearchProgress(int round, int tasksDone, int tasksInRound, String bestCandidateId,
                             boolean bestIsAcceptable) {
}
