package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.quantize.QuantizationResult;

/**
 * One quantization candidate after evaluation.
 *
 * @param evaluation the evaluation; UNSUPPORTED when the quantizer or ONNX Runtime rejected the configuration
 * @param modelBytes the serialized quantized model, to save the winner; null when quantization failed
 * @param summary    what the quantizer did; null when quantization failed
 */
public record QuantizedCandidate(Evaluation evaluation, byte[] modelBytes, QuantizationResult.Summary summary) {
}
