package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.List;

/**
 * Plans the QDQ quantization of one family of operators. A handler states the role of every
 * input (activation, weight, bias or control input that is never quantized) and which outputs
 * take their own calibrated range, and turns a node into a {@link NodeQuantization} or a
 * {@link NodeSkippedException} with the reason. It never edits the graph.
 */
public interface OpHandler {

    /** Op types of the default ONNX domain this handler plans. */
    List<String> opTypes();

    InputRole inputRole(NodeProto node, int inputIndex);

    /** Whether output {@code outputIndex} is quantized with its own calibrated range, so calibration must observe it. */
    boolean calibratesOutput(NodeProto node, int outputIndex);

    NodeQuantization plan(NodeContext context) throws NodeSkippedException;
}
