package dev.quantfleet.engine.quantize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Quantizes all-MiniLM-L6-v2 (opset 11, 637 nodes, LayerNorm and GELU decomposed) with
 * {@code a8w8} and {@code dynamic-int8} and compares sentence embeddings with the float model:
 * calibration on 64 package descriptions from the Debian package database, evaluation on 200
 * other descriptions, mean cosine similarity of the mean-pooled, L2-normalised embeddings. The
 * quantized model is saved and loaded from the file in a fresh ONNX Runtime session.
 */
class MiniLmQuantizationTest {

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmQuantizationTest.class);
    private static final int CALIBRATION_TEXTS = 64;
    private static final int EVALUATION_TEXTS = 200;
    private static final double MIN_MEAN_COSINE = 0.98;

    @TempDir
    static Path directory;

    private static ModelProto model;
    private static CalibrationStatistics statistics;
    private static List<MiniLm.Tokens> evaluation;
    private static List<float[]> reference;

    @BeforeAll
    static void calibrate() throws Exception {
        assumeTrue(Files.isReadable(MiniLm.PACKAGE_DATABASE), "MiniLM test needs the Debian package database "
                + MiniLm.PACKAGE_DATABASE + " for its texts; this machine has none");
        List<String> texts = MiniLm.packageDescriptions();
        assumeTrue(texts.size() >= CALIBRATION_TEXTS + EVALUATION_TEXTS, "MiniLM test needs "
                + (CALIBRATION_TEXTS + EVALUATION_TEXTS) + " distinct package descriptions; found " + texts.size());
        model = MiniLm.loadModel(directory);
        Path tokenizerFile = MiniLm.extract(MiniLm.TOKENIZER_RESOURCE, directory);

        Path calibrationTexts = directory.resolve("calibration.txt");
        Files.write(calibrationTexts, texts.subList(0, CALIBRATION_TEXTS), StandardCharsets.UTF_8);
        Calibrator calibrator = new Calibrator(model, QdqQuantizer.tensorsToCalibrate(model), 2,
                CalibrationParameters.DEFAULTS.numBins());
        try (SampleSource samples = SampleSources.open(calibrationTexts, model,
                new TextOptions(tokenizerFile, MiniLm.MAX_TOKENS, false))) {
            statistics = calibrator.calibrate(samples);
        }

        try (HuggingFaceTokenizer tokenizer = MiniLm.tokenizer(directory)) {
            evaluation = texts.subList(CALIBRATION_TEXTS, CALIBRATION_TEXTS + EVALUATION_TEXTS).stream()
                    .map(text -> MiniLm.Tokens.of(tokenizer, text)).toList();
        }
        try (OrtSession session = MiniLm.session(model)) {
            reference = MiniLm.embed(session, evaluation);
        }
    }

    @Test
    void a8w8KeepsEmbeddings() throws Exception {
        QuantConfig config = Presets.byName("a8w8");

        QuantizationResult result = QdqQuantizer.quantize(model, config,
                ActivationRanges.fromStatistics(statistics, config));

        QuantizationResult.Summary summary = result.summary();
        assertThat(summary.opTypesToQuantize()).containsExactly("Gather", "Gemm", "MatMul");
        assertThat(summary.opsetChange().from()).isEqualTo(11);
        assertThat(summary.opsetChange().to()).isEqualTo(13);
        assertThat(summary.quantized()).filteredOn(node -> node.node().opType().equals("MatMul")).hasSize(48);
        assertThat(summary.quantized()).filteredOn(node -> node.node().opType().equals("Gather")).hasSize(3);
        assertThat(summary.quantizedWeightCount()).as("36 MatMul weights and 3 embedding tables").isEqualTo(39);
        assertThat(summary.skipped()).as("Gathers on int64 shapes").hasSize(49)
                .allSatisfy(skipped -> assertThat(skipped.reason()).endsWith("is INT64, not float"));
        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.hasInitializer("onnx::MatMul_787")).as("float weight removed").isFalse();
        NodeProto wordGather = graph.node("/embeddings/word_embeddings/Gather");
        assertThat(graph.initializerType(wordGather.getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(graph.consumers(wordGather.getOutput(0))).extracting(NodeProto::getOpType)
                .containsExactly("DequantizeLinear");
        assertThat(new GraphView(result.model().getGraph()).topologicalOrder()).hasSize(result.model().getGraph().getNodeCount());

        double cosine = meanCosineFromSavedModel(result.model(), "a8w8");
        assertThat(cosine).isGreaterThanOrEqualTo(MIN_MEAN_COSINE);
    }

    @Test
    void dynamicInt8KeepsEmbeddings() throws Exception {
        QuantizationResult result = QdqQuantizer.quantize(model, Presets.byName("dynamic-int8"), ActivationRanges.none());

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.nodes("MatMulInteger")).hasSize(36);
        assertThat(graph.nodes("DynamicQuantizeLinear")).as("one per distinct MatMul input").hasSize(24);
        assertThat(graph.nodes("MatMul")).as("attention MatMuls of two activations stay float").hasSize(12);
        assertThat(result.summary().opsetChange()).isNull();

        double cosine = meanCosineFromSavedModel(result.model(), "dynamic-int8");
        assertThat(cosine).isGreaterThanOrEqualTo(MIN_MEAN_COSINE);
    }

    private static double meanCosineFromSavedModel(ModelProto quantized, String label) throws Exception {
        Path file = directory.resolve(label + ".onnx");
        ModelIo.save(quantized, file);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<float[]> embeddings;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = environment.createSession(file.toString(), options)) {
                embeddings = MiniLm.embed(session, evaluation);
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime could not run the saved " + label + " model: " + e.getMessage(), e);
        }
        double cosine = MiniLm.meanCosine(reference, embeddings);
        LOG.info("all-MiniLM-L6-v2 {}: mean cosine to fp32 over {} texts = {}, model bytes = {}", label,
                EVALUATION_TEXTS, String.format("%.4f", cosine), Files.size(file));
        return cosine;
    }
}
