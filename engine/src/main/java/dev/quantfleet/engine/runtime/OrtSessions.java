package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * Creates every ONNX Runtime session of the engine with the same deterministic settings, so
 * that calibration, evaluation and benchmarks of one model give the same numbers on the same
 * machine:
 * <ul>
 *   <li>a fixed intra-op thread count (the caller's) and one inter-op thread;</li>
 *   <li>sequential execution of the nodes;</li>
 *   <li>{@code setDeterministicCompute(true)}, which makes ONNX Runtime pick kernels whose
 *       results do not depend on scheduling;</li>
 *   <li>the caller's graph optimization level.</li>
 * </ul>
 * Sessions run on the CPU execution provider. The caller closes the returned session.
 */
public final class OrtSessions {

    /** Name of the only execution provider that this class configures. */
    public static final String CPU_EXECUTION_PROVIDER = "CPUExecutionProvider";

    private OrtSessions() {
    }

    /** Returns the process-wide ONNX Runtime environment. */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Creates a session over serialized model bytes.
     *
     * @param modelBytes        a serialized {@code ModelProto} with all tensor data inline
     * @param intraOpThreads    threads that one kernel may use; at least 1
     * @param optimizationLevel graph optimizations ONNX Runtime applies before running
     * @throws OrtException if ONNX Runtime rejects the model or an option
     */
    public static OrtSession create(byte[] modelBytes, int intraOpThreads, OptLevel optimizationLevel)
            throws OrtException {
        try (SessionOptions options = options(intraOpThreads, optimizationLevel)) {
            return environment().createSession(modelBytes, options);
        }
    }

    /** Builds the deterministic session options; the caller closes them once the session exists. */
    public static SessionOptions options(int intraOpThreads, OptLevel optimizationLevel) throws OrtException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads is " + intraOpThreads + "; it must be at least 1");
        }
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setDeterministicCompute(true);
            options.setOptimizationLevel(optimizationLevel);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
