package dev.quantfleet.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one request on the fleet's Kafka topics, in epoch milliseconds of this machine's
 * clock: the request's publication, each round plan's publication, each task attempt's start,
 * finish and result, the aggregator's close of each round, and the outcome's publication. Every
 * time is a record time stamp or a {@code TaskTimings} field, so a fleet of several processes on
 * one machine is measured with one clock.
 *
 * @param requestId           the request
 * @param requestPublishedMs  time stamp of the request on {@code quantfleet.requests}
 * @param rounds              the rounds in order, round 0 first; at least one
 * @param outcomePublishedMs  time stamp of the outcome on {@code quantfleet.outcomes}
 */
public record FleetTimeline(String requestId, long requestPublishedMs, List<Round> rounds, long outcomePublishedMs) {

    /** Name of the breakdown part from the request to the plan of round 0. */
    public static final String INTAKE = "coordinator intake: request published → round 0 plan published";
    /** Name of the breakdown part from each plan to its round's first task start. */
    public static final String DISPATCH = "round plan published → first task started";
    /** Name of the breakdown part that sums every attempt's run time. */
    public static final String TASK_RUNS = "task runs on the worker (TaskTimings start → finish)";
    /** Name of the breakdown part between a round's first start and last finish, outside the task runs. */
    public static final String BETWEEN_TASKS = "between tasks of a round (first start → last finish, minus runs)";
    /** Name of the breakdown part from a round's last finish to its last result record. */
    public static final String RESULT_PUBLISH = "last task finished → its result published";
    /** Name of the breakdown part from a round's last result to the aggregator's close. */
    public static final String AGGREGATOR_CLOSE = "last result published → aggregator's RoundCompleted";
    /** Name of the breakdown part from one round's close to the next round's plan. */
    public static final String NEXT_PLAN = "RoundCompleted → next round plan published";
    /** Name of the breakdown part from the last round's close to the outcome. */
    public static final String OUTCOME = "last RoundCompleted → outcome published (plan, promote, report)";

    public FleetTimeline {
        rounds = List.copyOf(rounds);
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("Request " + requestId + " has no round; a timeline needs round 0");
        }
    }

    /** Milliseconds from the request on its topic to the plan of round 0: the coordinator's validation. */
    public long intakeMs() {
        return rounds.get(0).planPublishedMs() - requestPublishedMs;
    }

    /** Milliseconds from the request on its topic to the first task that a worker started. */
    public long requestToFirstTaskMs() {
        return rounds.get(0).firstStartedMs() - requestPublishedMs;
    }

    /** Milliseconds from the plan of round 0 to the first task that a worker started. */
    public long firstDispatchMs() {
        return rounds.get(0).firstStartedMs() - rounds.get(0).planPublishedMs();
    }

    /** Milliseconds from the last result record of the last round to the outcome record. */
    public long lastResultToOutcomeMs() {
        return outcomePublishedMs - lastRound().lastPublishedMs();
    }

    /** Milliseconds from the last result record of the last round to the aggregator's close of that round. */
    public long lastCloseMs() {
        return lastRound().closedMs() - lastRound().lastPublishedMs();
    }

    /** Milliseconds from the aggregator's close of the last round to the outcome record. */
    public long lastCloseToOutcomeMs() {
        return outcomePublishedMs - lastRound().closedMs();
    }

    /** Milliseconds from the request on its topic to the outcome on its topic. */
    public long requestToOutcomeMs() {
        return outcomePublishedMs - requestPublishedMs;
    }

    /**
     * Milliseconds from the last result of each round to the first task start of the next: the
     * aggregator's close, the coordinator's planning and the next dispatch. One value fewer than
     * there are rounds.
     */
    public List<Long> roundTurnaroundsMs() {
        List<Long> turnarounds = new ArrayList<>();
        for (int i = 0; i + 1 < rounds.size(); i++) {
            turnarounds.add(rounds.get(i + 1).firstStartedMs() - rounds.get(i).lastPublishedMs());
        }
        return turnarounds;
    }

    /** Returns the number of task attempts over all rounds. */
    public int attemptCount() {
        return rounds.stream().mapToInt(round -> round.attempts().size()).sum();
    }

    /**
     * Splits {@link #requestToOutcomeMs()} into named parts, summed over the rounds, in the order
     * they happen. The parts add up to {@link #requestToOutcomeMs()} exactly, because each one is
     * the difference of two consecutive events:
     * <pre>
     *   request ─INTAKE─▶ plan 0 ─DISPATCH─▶ first start ─TASK_RUNS + BETWEEN_TASKS─▶ last finish
     *     ─RESULT_PUBLISH─▶ last result ─AGGREGATOR_CLOSE─▶ RoundCompleted ─NEXT_PLAN─▶ plan 1 ─DISPATCH─▶ …
     *     … RoundCompleted of the last round ─OUTCOME─▶ outcome
     * </pre>
     * With one worker, tasks run one after another, so {@link #BETWEEN_TASKS} is the time the worker
     * spent between them. With several workers, runs overlap and that part can be negative.
     */
    public Map<String, Long> breakdownMs() {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put(INTAKE, intakeMs());
        for (String name : List.of(DISPATCH, TASK_RUNS, BETWEEN_TASKS, RESULT_PUBLISH, AGGREGATOR_CLOSE, NEXT_PLAN)) {
            parts.put(name, 0L);
        }
        for (int i = 0; i < rounds.size(); i++) {
            Round round = rounds.get(i);
            long runsMs = round.taskRunsMs();
            parts.merge(DISPATCH, round.firstStartedMs() - round.planPublishedMs(), Long::sum);
            parts.merge(TASK_RUNS, runsMs, Long::sum);
            parts.merge(BETWEEN_TASKS, round.lastFinishedMs() - round.firstStartedMs() - runsMs, Long::sum);
            parts.merge(RESULT_PUBLISH, round.lastPublishedMs() - round.lastFinishedMs(), Long::sum);
            parts.merge(AGGREGATOR_CLOSE, round.closedMs() - round.lastPublishedMs(), Long::sum);
            if (i + 1 < rounds.size()) {
                parts.merge(NEXT_PLAN, rounds.get(i + 1).planPublishedMs() - round.closedMs(), Long::sum);
            }
        }
        parts.put(OUTCOME, outcomePublishedMs - lastRound().closedMs());
        return parts;
    }

    private Round lastRound() {
        return rounds.get(rounds.size() - 1);
    }

    /**
     * One round of the request.
     *
     * @param round            the round number
     * @param planPublishedMs  time stamp of its {@code RoundOpened} on {@code quantfleet.round-plans}
     * @param attempts         every task attempt with a result, at least one
     * @param closedMs         time stamp of its {@code RoundCompleted} on {@code quantfleet.rounds}
     */
    public record Round(int round, long planPublishedMs, List<Attempt> attempts, long closedMs) {

        public Round {
            attempts = List.copyOf(attempts);
            if (attempts.isEmpty()) {
                throw new IllegalArgumentException("Round " + round + " has no task result; a round closes with at "
                        + "least one result, so read the results topic to its end first");
            }
        }

        public long firstStartedMs() {
            return attempts.stream().mapToLong(Attempt::startedMs).min().orElseThrow();
        }

        public long lastFinishedMs() {
            return attempts.stream().mapToLong(Attempt::finishedMs).max().orElseThrow();
        }

        public long lastPublishedMs() {
            return attempts.stream().mapToLong(Attempt::publishedMs).max().orElseThrow();
        }

        /** Sum of the attempts' run times, {@code finishedMs - startedMs}. */
        public long taskRunsMs() {
            return attempts.stream().mapToLong(Attempt::runMs).sum();
        }

        /** Returns the attempts sorted by start time. */
        public List<Attempt> byStart() {
            return attempts.stream().sorted(Comparator.comparingLong(Attempt::startedMs)).toList();
        }
    }

    /**
     * One task attempt, from its {@code TaskResult}.
     *
     * @param taskId      the task
     * @param workerId    the worker that ran it
     * @param queuedMs    time stamp of the task on its pool's topic
     * @param startedMs   when the worker started it
     * @param finishedMs  when the worker finished it, results uploaded
     * @param publishedMs time stamp of its result on {@code quantfleet.results}
     */
    public record Attempt(String taskId, String workerId, long queuedMs, long startedMs, long finishedMs,
                          long publishedMs) {

        public long runMs() {
            return finishedMs - startedMs;
        }
    }
}
