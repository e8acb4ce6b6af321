package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.util.Set;

/** Dynamic quantization; written next. */
final class DynamicQuantizer {

    private DynamicQuantizer() {
    }

    static QuantizationResult quantize(ModelProto model, QuantConfig config, NodeSelection selection, Set<String> opTypes) {
        throw new UnsupportedOperationException("Dynamic format is not written yet");
    }
}
