package dev.quantfleet.engine.evaluation;

/** The end state of the evaluation of one candidate. */
public enum EvaluationStatus {
    /** The candidate was quantized, ran, and has metrics and costs. */
    OK,
    /** Something went wrong that may not happen again (an I/O error, a bug). The reason describes it. */
    FAILED,
    /**
     * ONNX Runtime could not load or run the quantized model on the target, e.g. because a kernel
     * for an element type is missing. The reason contains the runtime's message, and the search
     * does not propose the same combination for this model again.
     */
    UNSUPPORTED
}
