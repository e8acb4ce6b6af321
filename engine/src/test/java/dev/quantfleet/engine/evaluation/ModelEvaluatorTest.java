package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantType;
import dev.quantfleet.engine.testing.ListSampleSource;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Evaluates tiny MatMul models with ONNX Runtime: the float model, a8w8 and rejected models. */
class ModelEvaluatorTest {

    private static final int ROWS = 16;
    private static final int COLUMNS = 8;

    private static ModelProto floatModel;
    private static List<Sample> samples;
    private static ModelEvaluator evaluator;

    @BeforeAll
    static void prepare() throws Exception {
        Random random = new Random(7);
        float[] weights = new float[ROWS * COLUMNS];
        for (int index = 0; index < weights.length; index++) {
            weights[index] = (float) random.nextGaussian();
        }
        floatModel = TinyModels.matMulRelu(weights, ROWS, COLUMNS);
        samples = new ArrayList<>();
        for (int sample = 0; sample < 12; sample++) {
            float[] x = new float[ROWS];
            for (int index = 0; index < ROWS; index++) {
                x[index] = (float) random.nextGaussian();
            }
            samples.add(new Sample("sample " + sample, Map.of("x", TensorValue.ofFloats(new long[] {1, ROWS}, x))));
        }
        ReferenceOutputs reference = ReferenceOutputs.compute(ModelIo.toBytes(floatModel), samples,
                EvaluationSettings.of(1));
        evaluator = new ModelEvaluator(reference, Labels.none(), List.of(), EvaluationSettings.of(1));
    }

    @Test
    void floatModelMatchesItself() {
        Evaluation evaluation = evaluator.evaluate(ModelIo.toBytes(floatModel), List.of());

        assertThat(evaluation.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(evaluation.metric("cosine")).isEqualTo(1.0);
        assertThat(evaluation.metric("mse")).isZero();
        assertThat(evaluation.metric("sqnr")).isEqualTo(FidelityMetrics.MAX_SQNR_DB);
        assertThat(evaluation.metric("top1")).isEqualTo(1.0);
        assertThat(evaluation.cost().integerMacShare()).isZero();
        assertThat(evaluation.cost().modelBytes()).isEqualTo(ModelIo.toBytes(floatModel).length);
        assertThat(evaluation.cost().latency()).isNull();
    }

    @Test
    void a8w8CandidateIsCloseAndInteger() throws Exception {
        QuantConfig a8w8 = Presets.byName("a8w8");
        CandidateEvaluator candidates = new CandidateEvaluator(evaluator);
        var statistics = CandidateEvaluator.calibrate(floatModel, new ListSampleSource("samples", samples), 1);

        QuantizedCandidate result = candidates.evaluate(floatModel, statistics, a8w8);

        Evaluation evaluation = result.evaluation();
        assertThat(evaluation.status()).as(evaluation.reason()).isEqualTo(EvaluationStatus.OK);
        assertThat(evaluation.quantizedNodes()).contains("matmul");
        assertThat(evaluation.metric("cosine")).isGreaterThan(0.99).isLessThan(1.0);
        assertThat(evaluation.metric("sqnr")).isGreaterThan(20).isLessThan(FidelityMetrics.MAX_SQNR_DB);
        assertThat(evaluation.metric("mse")).isPositive();
        assertThat(evaluation.cost().integerMacShare()).isEqualTo(1.0);
        assertThat(evaluation.cost().modelBytes()).isEqualTo(result.modelBytes().length);
        assertThat(result.summary().quantized()).isNotEmpty();
    }

    @Test
    void sixteenBitActivationsCountAsFloatMacs() throws Exception {
        QuantizedCandidate result = evaluateCalibrated(Presets.byName("a16w8"));

        assertThat(result.evaluation().status()).as(result.evaluation().reason()).isEqualTo(EvaluationStatus.OK);
        assertThat(result.evaluation().quantizedNodes()).contains("matmul");
        assertThat(result.evaluation().cost().integerMacShare()).isZero();
    }

    @Test
    void fourBitWeightsCountAsFloatMacs() throws Exception {
        QuantConfig a8w4 = Presets.byName("a8w8").toBuilder().weightType(QuantType.QInt4).build();

        QuantizedCandidate result = evaluateCalibrated(a8w4);

        assertThat(result.evaluation().status()).as(result.evaluation().reason()).isEqualTo(EvaluationStatus.OK);
        assertThat(result.evaluation().quantizedNodes()).contains("matmul");
        assertThat(result.evaluation().cost().integerMacShare()).isZero();
    }

    private QuantizedCandidate evaluateCalibrated(QuantConfig config) throws Exception {
        var statistics = CandidateEvaluator.calibrate(floatModel, new ListSampleSource("samples", samples), 1);
        return new CandidateEvaluator(evaluator).evaluate(floatModel, statistics, config);
    }

    @Test
    void dynamicCandidateCountsIntegerMacs() {
        QuantizedCandidate result = new CandidateEvaluator(evaluator).evaluate(floatModel, null,
                Presets.byName("dynamic-int8"));

        assertThat(result.evaluation().status()).as(result.evaluation().reason()).isEqualTo(EvaluationStatus.OK);
        assertThat(result.evaluation().cost().integerMacShare()).isEqualTo(1.0);
        assertThat(result.evaluation().metric("cosine")).isGreaterThan(0.99);
    }

    @Test
    void quantizerRejectionIsUnsupported() {
        QuantConfig excludesMissingNode = Presets.byName("dynamic-int8").toBuilder()
                .nodesToExclude(List.of("no_such_node")).build();

        QuantizedCandidate result = new CandidateEvaluator(evaluator).evaluate(floatModel, null, excludesMissingNode);

        assertThat(result.evaluation().status()).isEqualTo(EvaluationStatus.UNSUPPORTED);
        assertThat(result.evaluation().reason()).contains("no_such_node");
        assertThat(result.modelBytes()).isNull();
    }

    @Test
    void runtimeRejectionIsUnsupportedWithMessage() {
        // Erf has no double kernel in ONNX Runtime's CPU provider
        GraphProto graph = GraphProto.newBuilder()
                .setName("erf_double")
                .addInput(TinyModels.tensor("x", ElementType.DOUBLE, 1L, (long) ROWS))
                .addNode(TinyModels.node("Erf", "erf", new String[] {"x"}, "y"))
                .addOutput(TinyModels.tensor("y", ElementType.DOUBLE, 1L, (long) ROWS))
                .build();

        Evaluation evaluation = evaluator.evaluate(ModelIo.toBytes(TinyModels.model(graph)), List.of());

        assertThat(evaluation.status()).isEqualTo(EvaluationStatus.UNSUPPORTED);
        assertThat(evaluation.reason()).startsWith("ONNX Runtime cannot load or run the model: ")
                .containsIgnoringCase("erf");
        assertThat(evaluation.metrics()).isEmpty();
    }

    @Test
    void latencyIsMeasuredWhenRequested() {
        ModelEvaluator timed = new ModelEvaluator(evaluator.reference(), Labels.none(), List.of(),
                EvaluationSettings.of(1).withLatency(2, 9));

        Latency latency = timed.evaluate(ModelIo.toBytes(floatModel), List.of()).cost().latency();

        assertThat(latency.runs()).isEqualTo(9);
        assertThat(latency.warmupRuns()).isEqualTo(2);
        assertThat(latency.threads()).isEqualTo(1);
        assertThat(latency.executionProvider()).isEqualTo("CPUExecutionProvider");
        assertThat(latency.p10Ms()).isPositive().isLessThanOrEqualTo(latency.medianMs());
        assertThat(latency.p90Ms()).isGreaterThanOrEqualTo(latency.medianMs());
    }

    @Test
    void nearestRankPercentiles() {
        Latency latency = LatencyMeter.summarize(new double[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6}, 0, 2,
                "CPUExecutionProvider");

        assertThat(latency.p10Ms()).isEqualTo(1.0);
        assertThat(latency.medianMs()).isCloseTo(5.5, within(1e-12));
        assertThat(latency.p90Ms()).isEqualTo(9.0);
    }
}
