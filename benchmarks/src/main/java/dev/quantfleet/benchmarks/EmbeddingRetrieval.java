package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.EvaluatedSample;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.Labels;
import dev.quantfleet.engine.evaluation.OutputTensor;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieval quality and embedding fidelity of several forms of one model, from one pass of each
 * model over the queries and documents of a pairs file:
 * <ul>
 *   <li>the sentence embedding of every text ({@link SentenceEmbeddings}: masked mean of
 *       {@code last_hidden_state}, L2-normalized);</li>
 *   <li>{@value RetrievalQuality#RECALL_AT_1}, {@value RetrievalQuality#RECALL_AT_10} and
 *       {@value RetrievalQuality#MRR} over those embeddings, scored by the engine's task metrics
 *       ({@link TaskMetrics}), the code a search scores its candidates with: each query ranks
 *       every document of the file;</li>
 *   <li>per text, the cosine between the model's embedding and the first model's, which should
 *       be fp32; reported as mean and minimum over all texts, queries and documents.</li>
 * </ul>
 * Sessions use {@code ALL_OPT}. The engine's metrics pool the embedding again in double
 * precision from the float embedding given here, so a rank can differ from what a search would
 * compute from the raw hidden states only where two scores tie to float precision.
 */
final class EmbeddingRetrieval {

    static final OptLevel OPTIMIZATION_LEVEL = OptLevel.ALL_OPT;
    private static final String EMBEDDING_OUTPUT = "sentence_embedding";

    /**
     * Scores of one model.
     *
     * @param recallAt1  share of queries whose own document ranks first
     * @param recallAt10 share of queries whose own document ranks in the first 10
     * @param mrr        mean reciprocal rank of the own document
     * @param meanCosine mean over texts of the cosine to the reference model's embedding
     * @param minCosine  smallest such cosine
     * @param texts      texts embedded: twice the number of pairs
     */
    record Scores(double recallAt1, double recallAt10, double mrr, double meanCosine, double minCosine, int texts) {
    }

    private EmbeddingRetrieval() {
    }

    /**
     * Returns the scores of each model of {@code models}, in that order; the first model is the
     * reference of the cosines.
     */
    static List<Scores> score(List<NamedModel> models, Path pairsFile, ModelProto floatModel, TextOptions textOptions,
                              int threads) throws OrtException {
        List<Sample> samples = new ArrayList<>();
        Labels labels;
        try (EvaluationData data = EvaluationData.open(pairsFile, null, floatModel, textOptions)) {
            data.samples().forEach(samples::add);
            labels = data.labels();
        }
        List<float[]> reference = null;
        List<Scores> scores = new ArrayList<>();
        for (NamedModel model : models) {
            List<float[]> embeddings;
            try (OrtSession session = OrtSessions.create(model.modelBytes(), threads, OPTIMIZATION_LEVEL)) {
                embeddings = SentenceEmbeddings.embed(session, samples);
            }
            reference = reference == null ? embeddings : reference;
            Scores modelScores = scores(samples, embeddings, labels, reference);
            System.out.printf("retrieval: %s %s%n", model.name(), modelScores);
            scores.add(modelScores);
        }
        return scores;
    }

    static Scores scores(List<Sample> samples, List<float[]> embeddings, Labels labels, List<float[]> reference) {
        List<EvaluatedSample> evaluated = new ArrayList<>(samples.size());
        for (int index = 0; index < samples.size(); index++) {
            float[] embedding = embeddings.get(index);
            evaluated.add(new EvaluatedSample(samples.get(index),
                    List.of(new OutputTensor(EMBEDDING_OUTPUT, new long[] {1, embedding.length}, embedding))));
        }
        double cosineSum = 0;
        double minCosine = Double.POSITIVE_INFINITY;
        for (int index = 0; index < embeddings.size(); index++) {
            double cosine = SentenceEmbeddings.cosine(reference.get(index), embeddings.get(index));
            cosineSum += cosine;
            minCosine = Math.min(minCosine, cosine);
        }
        return new Scores(metric(RetrievalQuality.RECALL_AT_1, evaluated, labels),
                metric(RetrievalQuality.RECALL_AT_10, evaluated, labels), metric(RetrievalQuality.MRR, evaluated, labels),
                cosineSum / embeddings.size(), minCosine, embeddings.size());
    }

    private static double metric(String name, List<EvaluatedSample> evaluated, Labels labels) {
        return TaskMetrics.byName(name).score(evaluated, labels);
    }
}
