package dev.quantfleet.engine.search;

/**
 * Progress of a search: one event after each task, then one when the round's results are in.
 *
 * @param round              the running round
 * @param tasksDone          tasks of the round finished so far
 * @param tasksInRound       tasks in the round
 * @param bestCandidateId    the best candidate so far, or null: of the earlier rounds in a task
 *                           event, including this round once it is complete
 * @param bestIsAcceptable   whether that candidate meets the goal
 * @param roundComplete      whether this is the event that ends the round
 */
public record SearchProgress(int round, int tasksDone, int tasksInRound, String bestCandidateId,
                             boolean bestIsAcceptable, boolean roundComplete) {
}
