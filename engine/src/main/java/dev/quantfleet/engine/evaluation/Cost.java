package dev.quantfleet.engine.evaluation;

/**
 * What a candidate costs to store and run.
 *
 * @param modelBytes      size of the serialized model, external data included
 * @param integerMacShare share of the model's multiply-accumulates (MatMul, Gemm, Conv and their
 *                        quantized forms) that run in integer arithmetic, in [0, 1]; computed
 *                        from the graph and the shapes of one evaluation sample, so it is
 *                        deterministic
 * @param latency         measured latency on the target, or null when it was not requested
 */
public record Cost(long modelBytes, double integerMacShare, Latency latency) {
}
