package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retrieval quality of several forms of one model on the same query/document pairs, scored by
 * the engine's {@link ModelEvaluator} as a search scores its candidates: {@value #RECALL_AT_1},
 * {@value #RECALL_AT_10} and {@value #MRR}, each over every query of the pairs file.
 */
final class RetrievalQuality {

    static final String RECALL_AT_1 = "recall@1";
    static final String RECALL_AT_10 = "recall@10";
    static final String MRR = "mrr";
    static final List<String> METRICS = List.of(RECALL_AT_1, RECALL_AT_10, MRR);

    private RetrievalQuality() {
    }

    /**
     * Returns the metrics of each of {@code models}, in that order.
     *
     * @param floatModel the float model, whose outputs are the reference of the evaluator
     * @param pairsFile  a {@code .tsv} file of query/document pairs
     * @throws IllegalStateException naming the model and the reason when an evaluation is not OK
     */
    static List<Map<String, Double>> score(ModelProto floatModel, Path pairsFile, TextOptions textOptions,
                                           int threads, List<NamedModel> models) throws OrtException {
        List<TaskMetric> metrics = METRICS.stream().map(TaskMetrics::byName).toList();
        List<Map<String, Double>> scores = new ArrayList<>();
        try (EvaluationData data = EvaluationData.open(pairsFile, null, floatModel, textOptions)) {
            ModelEvaluator evaluator = ModelEvaluator.forFloatModel(floatModel, data, metrics,
                    EvaluationSettings.of(threads));
            for (NamedModel model : models) {
                Evaluation evaluation = evaluator.evaluate(model.modelBytes(), List.of());
                if (evaluation.status() != EvaluationStatus.OK) {
                    throw new IllegalStateException("Evaluating " + model.name() + " on " + pairsFile + " gave "
                            + evaluation.status() + ": " + evaluation.reason());
                }
                scores.add(Map.of(RECALL_AT_1, evaluation.metric(RECALL_AT_1),
                        RECALL_AT_10, evaluation.metric(RECALL_AT_10), MRR, evaluation.metric(MRR)));
                System.out.printf("quality: %s %s%n", model.name(), scores.get(scores.size() - 1));
            }
        }
        return scores;
    }
}
