package dev.quantfleet.cli;

import dev.quantfleet.engine.model.InvalidModelException;
import dev.quantfleet.engine.model.LoadedModel;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.model.ModelSummary;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;

/** Connects {@code inspect} and {@code apply} to the engine. */
final class EngineWiring {

    private EngineWiring() {
    }

    /** Loads {@code model} and prints its summary. */
    static int inspect(CommandSpec spec, Path model) {
        ModelProto loaded = loadModel(model);
        spec.commandLine().getOut().print(ModelSummary.of(loaded).render());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Runs the steps of {@code apply}; see {@link ApplyRun}. */
    static int apply(CommandSpec spec, ApplyCommand command) {
        return new ApplyRun(command, spec.commandLine().getOut()).run();
    }

    /**
     * Loads {@code model} with all external data inlined, raising {@link InvalidInputException}
     * when the file is not a valid ONNX model.
     */
    static ModelProto loadModel(Path model) {
        return loadModelWithDataFiles(model).model();
    }

    /** Loads like {@link #loadModel} and also returns the external data files that the model read. */
    static LoadedModel loadModelWithDataFiles(Path model) {
        try {
            return ModelIo.loadWithDataFiles(model, ModelLimits.defaults());
        } catch (InvalidModelException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read model " + model + ": " + e, e);
        }
    }
}
