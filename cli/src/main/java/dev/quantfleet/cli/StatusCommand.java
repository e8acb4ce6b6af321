package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code quantfleet status ID}: prints the state, progress and best candidate of a fleet request. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the state of a request on a running fleet (PENDING, RUNNING, COMPLETED or REJECTED), the open "
                    + "round's progress and the best candidate so far.",
            "Exit codes: 0 printed, 1 the coordinator cannot be reached or does not know the request.",
        })
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Request id that 'quantfleet submit' printed.")
    String requestId;

    @Mixin
    FleetConnectionOptions connection;

    @Override
    public Integer call() {
        FleetStatus status;
        try {
            status = connection.client(EnvironmentVariables.current()).status(requestId.trim());
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        print(status, spec.commandLine().getOut());
        return 0;
    }

    static void print(FleetStatus status, PrintWriter out) {
        out.println("Request:      " + status.requestId());
        out.println("State:        " + status.state());
        if (status.round() >= 0) {
            out.println("Round:        " + status.round() + (status.finished() ? ""
                    : " (" + status.tasksDone() + "/" + status.tasksTotal() + " tasks done)"));
        }
        out.println("Trials:       " + status.trials());
        if (status.bestCandidateId() != null) {
            String value = status.bestMetric() == null ? "" : ", " + status.metric() + " "
                    + String.format(Locale.ROOT, "%.4f", status.bestMetric());
            out.println("Best so far:  " + status.bestCandidateId() + value
                    + (status.bestAcceptable() ? " (meets the goal)" : " (misses the goal)"));
        }
        for (String reason : status.rejectionReasons()) {
            out.println("Rejected:     " + reason);
        }
        if (status.promoted() != null && status.promoted().model() != null) {
            out.println("Model:        " + status.promoted().model().s3Uri() + " (SHA-256 "
                    + status.promoted().model().sha256() + ")");
        }
        if (status.report() != null) {
            out.println("Report:       " + status.report().key());
        }
        out.flush();
    }
}
