package dev.quantfleet.engine.model;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.nio.file.Path;
import java.util.List;

/**
 * A model read by {@link ModelIo#loadWithDataFiles} and the files it came from.
 *
 * @param model             the model with every external tensor inlined
 * @param externalDataFiles real paths of the external data files that the model read, in path
 *                          order; empty when every tensor was stored inline
 */
public record LoadedModel(ModelProto model, List<Path> externalDataFiles) {

    public LoadedModel {
        externalDataFiles = List.copyOf(externalDataFiles);
    }
}
