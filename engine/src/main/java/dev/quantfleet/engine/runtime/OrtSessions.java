package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import java.util.Map;
import java.util.Set;

/**
 * Creates every ONNX Runtime session of the engine with the same deterministic settings, so
 * that calibration, evaluation and benchmarks of one model give the same numbers on the same
 * machine:
 * <ul>
 *   <li>a fixed intra-op thread count (the caller's) and one inter-op thread;</li>
 *   <li>sequential execution of the nodes;</li>
 *   <li>{@code setDeterministicCompute(true)}, which makes ONNX Runtime pick kernels whose
 *       results do not depend on scheduling;</li>
 *   <li>the caller's graph optimization level;</li>
 *   <li>the caller's {@link ExecutionProvider}, the CPU provider unless stated.</li>
 * </ul>
 * The caller closes the returned session. Runs go through {@link #run}, so that a
 * {@link RunTermination} bound to the running thread can stop them.
 */
public final class OrtSessions {

    /** Name of ONNX Runtime's CPU execution provider, the one sessions use unless the caller chooses. */
    public static final String CPU_EXECUTION_PROVIDER = ExecutionProvider.CPU_NAME;

    private OrtSessions() {
    }

    /** Returns the process-wide ONNX Runtime environment. */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Creates a session on the CPU execution provider over serialized model bytes.
     *
     * @see #create(byte[], int, OptLevel, ExecutionProvider)
     */
    public static OrtSession create(byte[] modelBytes, int intraOpThreads, OptLevel optimizationLevel)
            throws OrtException {
        return create(modelBytes, intraOpThreads, optimizationLevel, ExecutionProvider.cpu());
    }

    /**
     * Creates a session over serialized model bytes.
     *
     * @param modelBytes        a serialized {@code ModelProto} with all tensor data inline
     * @param intraOpThreads    threads that one kernel may use; at least 1
     * @param optimizationLevel graph optimizations ONNX Runtime applies before running
     * @param provider          the execution provider that runs the nodes it supports
     * @throws OrtException if ONNX Runtime rejects the model or an option
     * @throws java.util.concurrent.CancellationException if a {@link RunTermination} bound to
     *                                                     this thread was terminated
     */
    public static OrtSession create(byte[] modelBytes, int intraOpThreads, OptLevel optimizationLevel,
                                    ExecutionProvider provider) throws OrtException {
        try (SessionOptions options = options(intraOpThreads, optimizationLevel, provider)) {
            return environment().createSession(modelBytes, options);
        }
    }

    /** Builds the deterministic session options for the CPU provider; the caller closes them once the session exists. */
    public static SessionOptions options(int intraOpThreads, OptLevel optimizationLevel) throws OrtException {
        return options(intraOpThreads, optimizationLevel, ExecutionProvider.cpu());
    }

    /**
     * Builds the deterministic session options with {@code provider}; the caller closes them once
     * the session exists.
     *
     * @throws java.util.concurrent.CancellationException if a {@link RunTermination} bound to
     *                                                     this thread was terminated
     */
    public static SessionOptions options(int intraOpThreads, OptLevel optimizationLevel, ExecutionProvider provider)
            throws OrtException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads is " + intraOpThreads + "; it must be at least 1");
        }
        RunTermination.checkBoundNotTerminated();
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setDeterministicCompute(true);
            options.setOptimizationLevel(optimizationLevel);
            provider.addTo(options);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /**
     * Runs {@code session} on {@code inputs} and returns every output, with the run options of
     * the {@link RunTermination} bound to this thread, if any.
     *
     * @throws OrtException if the run fails, including a run stopped by a termination
     */
    public static OrtSession.Result run(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs)
            throws OrtException {
        RunTermination termination = RunTermination.bound();
        return termination == null ? session.run(inputs) : session.run(inputs, termination.runOptions());
    }

    /** Runs {@code session} as {@link #run(OrtSession, Map)} does, returning only {@code outputNames}. */
    public static OrtSession.Result run(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs,
                                        Set<String> outputNames) throws OrtException {
        RunTermination termination = RunTermination.bound();
        return termination == null ? session.run(inputs, outputNames)
                : session.run(inputs, outputNames, termination.runOptions());
    }
}
