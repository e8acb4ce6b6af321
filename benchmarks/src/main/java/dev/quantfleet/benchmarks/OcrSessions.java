package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.ArrayList;
import java.util.List;

/**
 * One ONNX Runtime session per row, closed together. Each session has one intra-op thread and all
 * graph optimizations, as a deployment on one core would run the model.
 */
final class OcrSessions implements AutoCloseable {

    private final List<OrtSession> sessions = new ArrayList<>();

    /** Opens a session for each model; on failure the sessions opened so far are closed. */
    static OcrSessions open(List<QuantizedVariants.Variant> variants) throws OrtException {
        OcrSessions opened = new OcrSessions();
        try {
            for (QuantizedVariants.Variant variant : variants) {
                opened.sessions.add(OrtSessions.create(variant.modelBytes(), 1, OptLevel.ALL_OPT));
            }
            return opened;
        } catch (OrtException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    List<OrtSession> sessions() {
        return sessions;
    }

    @Override
    public void close() throws OrtException {
        OrtException first = null;
        for (OrtSession session : sessions) {
            try {
                session.close();
            } catch (OrtException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
