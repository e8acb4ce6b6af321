package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kernel time per op type, from ONNX Runtime's profiler. A session with
 * {@link SessionOptions#enableProfiling} writes a Chrome trace JSON file: each session run is
 * an event {@code model_run} (category {@code Session}), and each node run is an event
 * {@code <node>_kernel_time} (category {@code Node}) with its op type in {@code args.op_name}.
 * Both carry a start {@code ts} and a duration {@code dur} in microseconds. Kernel durations are
 * summed per op type over the runs after the warm-up and divided by their number. Profiling
 * adds its own overhead, so these times show where the time goes. Compare models by the latency
 * table, which is measured without the profiler.
 */
final class NodeProfile {

    private static final String KERNEL_TIME_SUFFIX = "_kernel_time";
    private static final String MODEL_RUN_EVENT = "model_run";

    /**
     * Milliseconds per run.
     *
     * @param modelRunMs   mean duration of the profiled {@code model_run} events
     * @param kernelMsByOpType mean kernel time per run of each op type
     */
    record Times(double modelRunMs, Map<String, Double> kernelMsByOpType) {
    }

    private NodeProfile() {
    }

    /**
     * Profiles each of {@code models}: opens one profiling session per model, then runs
     * {@code warmUpRuns + runs} times over {@code inputs}, each step running every session once so
     * that background load falls on all models alike. Returns the times of the last {@code runs}
     * runs of each model, in the order of {@code models}. Profile files start with
     * {@code filePrefixes.get(i)}.
     */
    static List<Times> profile(List<byte[]> models, int threads, OptLevel level, List<Map<String, OnnxTensor>> inputs,
                               int warmUpRuns, int runs, List<Path> filePrefixes) throws OrtException {
        List<OrtSession> sessions = new ArrayList<>();
        List<String> profileFiles = new ArrayList<>();
        try {
            for (int model = 0; model < models.size(); model++) {
                try (SessionOptions options = OrtSessions.options(threads, level)) {
                    options.enableProfiling(filePrefixes.get(model).toString());
                    sessions.add(OrtSessions.environment().createSession(models.get(model), options));
                }
            }
            for (int run = 0; run < warmUpRuns + runs; run++) {
                for (OrtSession session : sessions) {
                    session.run(inputs.get(run % inputs.size())).close();
                }
            }
            for (OrtSession session : sessions) {
                profileFiles.add(session.endProfiling());
            }
        } finally {
            for (OrtSession session : sessions) {
                session.close();
            }
        }
        List<Times> times = new ArrayList<>();
        for (String profileFile : profileFiles) {
            times.add(sumKernelTimes(Path.of(profileFile), warmUpRuns, runs));
        }
        return times;
    }

    private static Times sumKernelTimes(Path profileFile, int warmUpRuns, int runs) {
        JsonNode events;
        try {
            events = JsonMapper.builder().build().readTree(profileFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the ONNX Runtime profile " + profileFile, e);
        }
        List<long[]> modelRuns = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("cat").asText().equals("Session") && event.path("name").asText().equals(MODEL_RUN_EVENT)) {
                modelRuns.add(new long[] {event.path("ts").asLong(), event.path("dur").asLong()});
            }
        }
        if (modelRuns.size() != warmUpRuns + runs) {
            throw new IllegalStateException("Profile " + profileFile + " has " + modelRuns.size() + " " + MODEL_RUN_EVENT
                    + " events, expected " + (warmUpRuns + runs) + "; the ONNX Runtime profile format may have changed");
        }
        modelRuns.sort((a, b) -> Long.compare(a[0], b[0]));
        long timedStartMicros = modelRuns.get(warmUpRuns)[0];
        double modelRunMicros = modelRuns.subList(warmUpRuns, modelRuns.size()).stream().mapToLong(run -> run[1]).sum();

        Map<String, Double> msByOpType = new TreeMap<>();
        for (JsonNode event : events) {
            boolean kernel = event.path("cat").asText().equals("Node")
                    && event.path("name").asText().endsWith(KERNEL_TIME_SUFFIX);
            if (kernel && event.path("ts").asLong() >= timedStartMicros) {
                String opType = event.path("args").path("op_name").asText("unknown");
                msByOpType.merge(opType, event.path("dur").asLong() / 1000.0 / runs, Double::sum);
            }
        }
        return new Times(modelRunMicros / 1000.0 / runs, msByOpType);
    }
}
