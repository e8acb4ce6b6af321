package dev.quantfleet.cli;

import dev.quantfleet.engine.search.SearchProgress;
import dev.quantfleet.engine.search.SearchProgressListener;

import java.io.PrintWriter;

/**
 * Shows search progress on standard error: on a terminal one line rewritten after every task,
 * elsewhere (a log file, a pipe) one line per finished round.
 */
final class QuantizeProgress implements SearchProgressListener {

    private final PrintWriter err;
    private final boolean terminal;

    QuantizeProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(SearchProgress progress) {
        boolean roundDone = progress.roundComplete();
        if (!terminal && !roundDone) {
            return;
        }
        String line = "Round " + progress.round() + ": " + progress.tasksDone() + "/" + progress.tasksInRound()
                + " tasks done, best so far: " + best(progress);
        if (terminal) {
            err.print("\r\033[K" + line + (roundDone ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    private static String best(SearchProgress progress) {
        if (progress.bestCandidateId() == null) {
            return "none yet";
        }
        return progress.bestCandidateId() + (progress.bestIsAcceptable() ? " (meets the goal)" : " (misses the goal)");
    }
}
