package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code quantfleet watch ID}: follows a fleet request's progress until it ends. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Follows the progress of a request on a running fleet on standard error until it is COMPLETED or "
                    + "REJECTED, then prints its final status. The progress comes from the coordinator's event "
                    + "stream, which is opened again when it breaks; a coordinator without one is polled.",
            "Exit codes: 0 the winner meets the goal, 3 it does not, 2 the request was rejected, 1 failure.",
        })
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Request id that 'quantfleet submit' printed.")
    String requestId;

    @Mixin
    FleetConnectionOptions connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FleetStatus end;
        try {
            PrintWriter err = spec.commandLine().getErr();
            end = RequestWatch.awaitEnd(connection.client(EnvironmentVariables.current()), requestId.trim(),
                    new FleetProgress(err, System.console() != null), line -> {
                        err.println(line);
                        err.flush();
                    }, () -> false);
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        FleetResults.requireNotRejected(end);
        StatusCommand.print(end, out);
        out.println("Download the model and the reports with: quantfleet result " + end.requestId() + " --out DIR");
        out.flush();
        return end.bestAcceptable() ? 0 : QuantizeCommand.NOTHING_ACCEPTABLE;
    }
}
