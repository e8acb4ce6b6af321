package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The float model's outputs on every evaluation sample, kept in memory with the samples
 * themselves so that every candidate runs the same inputs and is compared to the same outputs.
 * Memory grows with samples times output size: 300 MiniLM samples of {@code [1, 128, 384]}
 * floats take about 60 MB.
 *
 * @param samples             every sample with the float model's float outputs
 * @param distributionOutputs outputs whose last axis is a probability distribution in every
 *                            sample (see {@link FidelityMetrics#isDistribution}), where KL applies
 */
public record ReferenceOutputs(List<EvaluatedSample> samples, Set<String> distributionOutputs) {

    public ReferenceOutputs {
        samples = List.copyOf(samples);
        distributionOutputs = Set.copyOf(distributionOutputs);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Evaluation needs at least one sample, but the data held none");
        }
    }

    /**
     * Runs the float model on every sample of {@code samples}.
     *
     * @throws OrtException if ONNX Runtime rejects the float model or fails on a sample
     */
    public static ReferenceOutputs compute(byte[] floatModelBytes, Iterable<Sample> samples,
                                           EvaluationSettings settings) throws OrtException {
        try (OrtSession session = OrtSessions.create(floatModelBytes, settings.threads(),
                settings.optimizationLevel(), settings.executionProvider())) {
            return of(ModelRuns.runAll(session, samples));
        }
    }

    /** Wraps outputs computed elsewhere, finding the distribution outputs. */
    public static ReferenceOutputs of(List<EvaluatedSample> samples) {
        Set<String> distributions = new LinkedHashSet<>();
        if (!samples.isEmpty()) {
            samples.get(0).outputs().forEach(output -> distributions.add(output.name()));
        }
        for (EvaluatedSample sample : samples) {
            for (OutputTensor output : sample.outputs()) {
                if (!FidelityMetrics.isDistribution(output)) {
                    distributions.remove(output.name());
                }
            }
        }
        return new ReferenceOutputs(samples, distributions);
    }

    /** Returns the model inputs of every sample, in data order. */
    public List<Sample> inputs() {
        return samples.stream().map(EvaluatedSample::sample).toList();
    }
}
