package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;

import java.util.concurrent.CancellationException;

/**
 * Stops the ONNX Runtime work of one task from another thread, e.g. when the task runs past its
 * time limit.
 *
 * <p>The thread that runs the task binds the termination with {@link #bind()}. While it is bound,
 * every run that {@link OrtSessions#run} starts on that thread uses this termination's
 * {@link RunOptions}, and every session that {@link OrtSessions} creates there first checks it.
 * {@link #terminate} then sets the options' terminate flag, so ONNX Runtime ends the current run
 * before its next node and fails every later run with an {@link OrtException}, and a later session
 * creation throws {@link CancellationException}. Java work between two runs is not interrupted.
 * Threads without a bound termination run as before, without run options.
 *
 * <p>Thread-safe: {@link #terminate} may race with runs and with the closing of the binding,
 * because the native run options are used and closed under one lock.
 */
public final class RunTermination {

    private static final ThreadLocal<RunTermination> BOUND = new ThreadLocal<>();

    private final Object lock = new Object();
    private RunOptions runOptions;
    private boolean terminated;
    private boolean closed;
    private String reason;

    /** Binds this termination to the current thread until the returned binding is closed. */
    public Binding bind() {
        synchronized (lock) {
            closed = false;
        }
        RunTermination previous = BOUND.get();
        BOUND.set(this);
        return new Binding(previous);
    }

    /**
     * Terminates the current run and every later one of the bound thread.
     *
     * @param terminationReason why, e.g. the time limit that passed; kept for {@link #reason()}
     */
    public void terminate(String terminationReason) {
        synchronized (lock) {
            if (terminated) {
                return;
            }
            terminated = true;
            reason = terminationReason;
            if (runOptions != null && !closed) {
                setTerminateFlag(runOptions);
            }
        }
    }

    public boolean isTerminated() {
        synchronized (lock) {
            return terminated;
        }
    }

    /** Returns why {@link #terminate} was called; null before. */
    public String reason() {
        synchronized (lock) {
            return reason;
        }
    }

    /** Returns the termination bound to the current thread, or null. */
    static RunTermination bound() {
        return BOUND.get();
    }

    /** Throws if a termination bound to the current thread was terminated. */
    static void checkBoundNotTerminated() {
        RunTermination termination = BOUND.get();
        if (termination != null && termination.isTerminated()) {
            throw new CancellationException("The task was terminated: " + termination.reason());
        }
    }

    /** Returns the run options of this task, created on first use, with the terminate flag set once terminated. */
    RunOptions runOptions() throws OrtException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The binding of this termination was closed; bind it again to run");
            }
            if (runOptions == null) {
                runOptions = new RunOptions();
                if (terminated) {
                    setTerminateFlag(runOptions);
                }
            }
            return runOptions;
        }
    }

    private static void setTerminateFlag(RunOptions options) {
        try {
            options.setTerminate(true);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to set the terminate flag of a run: "
                    + e.getMessage(), e);
        }
    }

    /** The binding of a termination to a thread; closing it unbinds it and frees the run options. */
    public final class Binding implements AutoCloseable {

        private final RunTermination previous;

        private Binding(RunTermination previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
            synchronized (lock) {
                closed = true;
                if (runOptions != null) {
                    runOptions.close();
                    runOptions = null;
                }
            }
        }
    }
}
