package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetInputs;
import dev.quantfleet.cli.fleet.RequestRejectedException;
import dev.quantfleet.cli.fleet.RequestUploader;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.engine.job.LocalSearchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code quantfleet submit}: uploads a search's inputs to a running fleet and submits the request. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Uploads the model and the data to a running fleet's S3 artifact store, submits the search to its "
                    + "coordinator and prints the request id. Follow it with 'quantfleet watch ID', fetch the "
                    + "result with 'quantfleet result ID --out DIR'.",
            "Exit codes: 0 submitted, 2 invalid input (also when the coordinator rejects the request), 1 failure.",
        })
final class SubmitCommand extends SearchCommandOptions implements Callable<Integer> {

    @Mixin
    FleetConnectionOptions connection;

    @Mixin
    S3Options s3;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalSearchSpec search = new QuantizeRun(this, out, err).spec();
        FleetResults.requireSingleFile("--calibration-data", calibrationData);
        FleetResults.requireSingleFile("--eval-data", evaluationData);
        FleetResults.requireOnnxModel(model);
        var client = connection.client(EnvironmentVariables.current());
        FleetInputs inputs = new FleetInputs(model, calibrationData, evaluationData, evaluationLabels, tokenizer,
                maxLength);
        try (ArtifactStore store = s3.open(EnvironmentVariables.current())) {
            QuantizationRequest request = new RequestUploader(store).upload(inputs, RequestGoal.of(search.goal()),
                    search.strategy(), RequestBudget.of(search.budget()), search.seed(), "cli");
            String requestId = client.submit(request);
            out.println(requestId);
            out.flush();
            return 0;
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        } catch (RequestRejectedException e) {
            throw FleetResults.rejection(e.requestId(), e.reasons());
        }
    }
}
