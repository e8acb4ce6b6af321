package dev.quantfleet.engine.evaluation;

/** How the evaluation of one candidate ended. */
public enum EvaluationStatus {
    /** The candidate was quantized, ran, and has metrics and costs. */
    OK,
    /** Something went wrong that may not happen again (an I/O error, a bug); the reason says what. */
    FAILED,
    /**
     * ONNX Runtime refused to load or run the quantized model on the target, e.g. a missing
     * kernel for an element type; the reason holds the runtime's message. The search does not
     * propose the same combination for this model again.
     */
    UNSUPPORTED
}
