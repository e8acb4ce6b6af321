package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.TaskExecutor;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * One in-process search and its wall time.
 *
 * @param spec         what was searched
 * @param result       the search result
 * @param wallTimeMs   wall time of {@link LocalSearch#run}: loading and hashing the inputs, the
 *                     search, quantizing the winner again and building the report
 */
record TimedSearch(LocalSearchSpec spec, LocalSearchResult result, long wallTimeMs) {

    /** Runs {@code spec} with {@link LocalSearch#run}, printing each finished task to standard output. */
    static TimedSearch run(LocalSearchSpec spec) throws IOException {
        return run(spec, UnaryOperator.identity());
    }

    /** Runs {@code spec} as {@link #run(LocalSearchSpec)} does, every task going through {@code taskDecorator}. */
    static TimedSearch run(LocalSearchSpec spec, UnaryOperator<TaskExecutor> taskDecorator) throws IOException {
        long start = System.nanoTime();
        LocalSearchResult result = LocalSearch.run(spec, progress -> System.out.printf(
                "search round %d: %d of %d tasks done%n", progress.round(), progress.tasksDone(),
                progress.tasksInRound()), taskDecorator);
        return new TimedSearch(spec, result, (System.nanoTime() - start) / 1_000_000);
    }

    /** Wall time of {@code InProcessSearch.run} alone, as the outcome records it. */
    long searchLoopMs() {
        return result.outcome().wallTimeMs();
    }

    /** Returns the winner, or throws naming the stop reason when the search evaluated no candidate OK. */
    CandidateResult winner() {
        CandidateResult winner = result.outcome().winner();
        if (winner == null || result.winner() == null) {
            throw new IllegalStateException("The search evaluated no candidate OK (stop reason "
                    + result.outcome().stopReason() + "), so there is no winner to compare");
        }
        return winner;
    }

    /** Returns a one-line summary of {@code config}, e.g. {@code QDQ, activations QUInt8, weights QInt8 per channel}. */
    static String describe(QuantConfig config) {
        StringBuilder text = new StringBuilder(config.format().toString());
        if (config.format() == QuantFormat.QDQ) {
            text.append(", activations ").append(config.activationType())
                    .append(" (").append(config.calibrationMethod()).append(')');
        }
        text.append(", weights ").append(config.weightType()).append(config.perChannel() ? " per channel" : " per tensor")
                .append(", ").append(config.operatorForm());
        if (!config.nodesToExclude().isEmpty()) {
            text.append(", ").append(config.nodesToExclude().size()).append(" exclusion patterns");
        }
        if (!config.nodeOverrides().isEmpty()) {
            text.append(", ").append(config.nodeOverrides().size()).append(" node overrides");
        }
        return text.toString();
    }
}
