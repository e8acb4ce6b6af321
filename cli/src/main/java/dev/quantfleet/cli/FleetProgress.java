package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetStatus;

import java.io.PrintWriter;

/**
 * Shows the progress of a fleet search from the coordinator's request status, in the form of
 * {@link QuantizeProgress}: on a terminal one line rewritten after every change, elsewhere one
 * line per finished round. Statuses come from the coordinator's events, one per change. When the
 * coordinator is polled instead, rounds that open and close between two polls are not shown.
 */
final class FleetProgress {

    private final PrintWriter err;
    private final boolean terminal;
    private int round = -1;
    private int tasksTotal;
    private String lastLine = "";

    FleetProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Shows {@code status}; call it with every status received, in order. */
    void show(FleetStatus status) {
        if (round >= 0 && (status.round() > round || status.finished())) {
            line("Round " + round + ": " + tasksTotal + "/" + tasksTotal + " tasks done, best so far: " + best(status),
                    true);
            round = -1;
        }
        if (status.finished() || status.round() < 0) {
            return;
        }
        round = status.round();
        tasksTotal = status.tasksTotal();
        if (terminal) {
            line("Round " + round + ": " + status.tasksDone() + "/" + tasksTotal + " tasks done, best so far: "
                    + best(status), false);
        }
    }

    private void line(String text, boolean roundDone) {
        if (terminal) {
            if (!text.equals(lastLine) || roundDone) {
                err.print("\r\033[K" + text + (roundDone ? "\n" : ""));
            }
        } else {
            err.println(text);
        }
        lastLine = roundDone ? "" : text;
        err.flush();
    }

    private static String best(FleetStatus status) {
        if (status.bestCandidateId() == null) {
            return "none yet";
        }
        return status.bestCandidateId() + (status.bestAcceptable() ? " (meets the goal)" : " (misses the goal)");
    }
}
