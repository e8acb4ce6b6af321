package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetInputs;
import dev.quantfleet.cli.fleet.FleetStatus;
import dev.quantfleet.cli.fleet.LocalFleet;
import dev.quantfleet.cli.fleet.RequestRejectedException;
import dev.quantfleet.cli.fleet.RequestUploader;
import dev.quantfleet.cli.fleet.ServiceJars;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.search.Objective;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The steps of {@code quantfleet quantize} in fleet mode: check the options, the data and the
 * labels as the in-process mode does, start a {@link LocalFleet}, upload the inputs, submit the
 * request, show its progress, download the winner and the reports, print the summary, and stop
 * the fleet, also on failure.
 */
final class FleetQuantizeRun {

    /** Maximum wait for the coordinator and the workers to start; a JVM start on a busy machine takes seconds. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final QuantizeCommand command;
    private final PrintWriter out;
    private final PrintWriter err;

    FleetQuantizeRun(QuantizeCommand command, PrintWriter out, PrintWriter err) {
        this.command = command;
        this.out = out;
        this.err = err;
    }

    int run() {
        LocalSearchSpec spec = new QuantizeRun(command, out, err).spec();
        Inputs.requireAtLeast(command.spec, "--workers", command.workers, 1);
        FleetResults.requireSingleFile("--calibration-data", command.calibrationData);
        FleetResults.requireSingleFile("--eval-data", command.evaluationData);
        FleetResults.requireOnnxModel(command.model);
        new LocalDataCheck(spec).run();
        if (command.sensitivityCacheFolder != null) {
            err.println("Note: --sensitivity-cache works only with --in-process; the fleet search ignores it");
        }
        if (command.threadCount != null) {
            err.println("Note: --threads sets the in-process search only; the fleet runs one task per worker, "
                    + "set --workers instead");
        }
        LocalFleet.Settings settings = new LocalFleet.Settings(ServiceJars.locate(), command.workers,
                command.out.resolve("logs"), command.taskThreads, spec.goal().objective() == Objective.LATENCY,
                READY_TIMEOUT);
        try (LocalFleet fleet = LocalFleet.start(settings, this::note)) {
            return search(fleet, spec);
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        } catch (RequestRejectedException e) {
            throw FleetResults.rejection(e.requestId(), e.reasons());
        }
    }

    private int search(LocalFleet fleet, LocalSearchSpec spec) {
        FleetInputs inputs = new FleetInputs(command.model, command.calibrationData, command.evaluationData,
                command.evaluationLabels, command.tokenizer, command.maxLength);
        note("Uploading the model and the data ...");
        QuantizationRequest request = new RequestUploader(fleet.store()).upload(inputs, RequestGoal.of(spec.goal()),
                spec.strategy(), RequestBudget.of(spec.budget()), spec.seed(), spec.warmStart(), "cli");
        String requestId = fleet.coordinator().submit(request);
        note("Submitted request " + requestId);
        FleetStatus end;
        try {
            FleetProgress progress = new FleetProgress(err, System.console() != null);
            end = RequestWatch.awaitEnd(fleet.coordinator(), requestId, progress, this::note, fleet::stopped);
        } catch (FleetException e) {
            if (fleet.stopped()) {
                // Ctrl-C stopped the fleet under the watch, so the lost connection is no fault of the coordinator.
                throw new CommandFailedException("Interrupted: the local fleet was stopped before request " + requestId
                        + " ended", e);
            }
            throw e;
        }
        return FleetResults.writeAndSummarize(end, fleet.store(), command.out, out);
    }

    private void note(String line) {
        err.println(line);
        err.flush();
    }
}
