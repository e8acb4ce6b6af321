package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The graph that ONNX Runtime actually runs: a session is created with
 * {@link SessionOptions#setOptimizedModelFilePath}, which writes the model after all graph
 * optimizations (fusions such as QLinearMatMul, MatMulIntegerToFloat, Attention,
 * SkipLayerNormalization), and the nodes of that file are counted per op type.
 */
final class OptimizedGraphs {

    private OptimizedGraphs() {
    }

    /**
     * Writes the optimized form of {@code modelBytes} to {@code file} with the session options of
     * the latency measurement, and returns its node count per op type, keyed
     * {@code domain:OpType} for ops outside the default domain.
     */
    static Map<String, Integer> opTypeCounts(byte[] modelBytes, int threads, OptLevel level, Path file)
            throws OrtException {
        try (SessionOptions options = OrtSessions.options(threads, level)) {
            options.setOptimizedModelFilePath(file.toString());
            OrtSessions.environment().createSession(modelBytes, options).close();
        }
        ModelProto optimized;
        try (InputStream stream = Files.newInputStream(file)) {
            optimized = ModelProto.parseFrom(stream);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the optimized model " + file, e);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto node : optimized.getGraph().getNodeList()) {
            String domain = node.getDomain();
            String key = domain.isEmpty() || domain.equals("ai.onnx") ? node.getOpType() : domain + ":" + node.getOpType();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }
}
