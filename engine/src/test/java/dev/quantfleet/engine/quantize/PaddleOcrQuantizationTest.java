package dev.quantfleet.engine.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.calibration.CalibrationRun;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.testing.DebianDescriptions;
import dev.quantfleet.engine.testing.RealModels;
import dev.quantfleet.engine.external.PaddleOcrModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.quantfleet.engine.metrics.EditDistance.levenshtein;
import static dev.quantfleet.engine.metrics.VectorSimilarity.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Quantizes the PaddleOCR PP-OCRv4 text line recognizer (opset 9, weights in Constant nodes, a
 * PP-LCNetV3 backbone and SVTR attention blocks) and the text orientation classifier (a
 * MobileNetV3) with the {@code a8w8} preset, and compares them with fp32 on lines drawn from
 * Debian package synopses: 20 clean and 20 hard lines for evaluation, 24 other lines for
 * calibration (alternately clean and hard, every second one turned by 180 degrees for the
 * classifier). Each quantized model is saved with {@link ModelIo} and run from the file in a
 * fresh ONNX Runtime session. Skipped, visibly, without npm or without a Debian package database.
 *
 * <p>Bounds, with the values measured when they were set (ONNX Runtime 1.29, Debian 12 with 710
 * packages, 2-core x86-64 machine, DejaVu Sans), logged by every run:
 * <ul>
 *   <li>recognizer mean per-frame cosine of the class probabilities to fp32 of at least 0.96
 *       (measured 0.975; quantizing Add and Mul as well measured 0.946 on 120 lines with
 *       {@code PaddleOcrQuantizationStudy});</li>
 *   <li>recognizer character error rate at most 0.01 above fp32, and no more than one clean
 *       line lost;</li>
 *   <li>classifier accuracy at most 2 of 40 lines below fp32, and at least 35 of 40 orientations
 *       equal to fp32's.</li>
 * </ul>
 */
class PaddleOcrQuantizationTest {

    private static final Logger LOG = LoggerFactory.getLogger(PaddleOcrQuantizationTest.class);

    private static final int EVALUATION_LINES = 40;
    private static final int CLEAN_LINES = 20;
    private static final int CALIBRATION_LINES = 24;
    private static final double MIN_MEAN_FRAME_COSINE = 0.96;
    private static final double MAX_CER_INCREASE = 0.01;
    private static final int MAX_CLEAN_LINES_LOST = 1;
    private static final int MAX_ORIENTATIONS_LOST = 2;
    private static final int MIN_ORIENTATIONS_AS_FP32 = 35;
    private static final int THREADS = 2;

    @TempDir
    static Path directory;

    private static PaddleOcrModels paddleOcr;
    private static List<String> evaluationTexts;
    private static List<BufferedImage> evaluationLines;
    private static List<BufferedImage> calibrationLines;

    /** Draws the lines once; runs before each test so that every test reports its own skip. */
    @BeforeEach
    void drawLines() {
        paddleOcr = RealModels.paddleOcr();
        if (evaluationLines != null) {
            return;
        }
        List<String> texts = DebianDescriptions.synopses(0, EVALUATION_LINES + CALIBRATION_LINES);
        assumeTrue(texts.size() == EVALUATION_LINES + CALIBRATION_LINES,
                "Skipping: the PaddleOCR quantization test needs " + (EVALUATION_LINES + CALIBRATION_LINES)
                        + " package synopses, found " + texts.size());
        TextLineRenderer renderer = new TextLineRenderer();
        evaluationTexts = texts.subList(0, EVALUATION_LINES);
        evaluationLines = new ArrayList<>();
        for (int index = 0; index < EVALUATION_LINES; index++) {
            Options options = index < CLEAN_LINES ? Options.clean() : Options.hard(index);
            evaluationLines.add(renderer.draw(evaluationTexts.get(index), options));
        }
        calibrationLines = new ArrayList<>();
        for (int index = 0; index < CALIBRATION_LINES; index++) {
            Options options = index % 2 == 0 ? Options.clean() : Options.hard(1000 + index);
            calibrationLines.add(renderer.draw(texts.get(EVALUATION_LINES + index), options));
        }
    }

    @Test
    void a8w8RecognizerStaysCloseToFp32() throws Exception {
        ModelProto model = ModelIo.load(paddleOcr.recognizer(), ModelLimits.defaults());
        List<Map<String, TensorValue>> calibration = new ArrayList<>();
        for (BufferedImage line : calibrationLines) {
            TextLineRenderer.RecognizerInput input = TextLineRenderer.toRecognizerInput(line);
            calibration.add(Map.of(inputName(model), TensorValue.ofFloats(input.shape(), input.values())));
        }
        QuantConfig config = Presets.byName("a8w8");

        QuantizationResult result = QdqQuantizer.quantize(model, config,
                ActivationRanges.fromStatistics(calibrate(model, calibration), config));

        QuantizationResult.Summary summary = result.summary();
        assertThat(summary.opTypesToQuantize()).as("a graph with Conv keeps Add and Mul in float")
                .doesNotContain("Add", "Mul").contains("Conv", "MatMul");
        assertThat(summary.opsetChange().from()).isEqualTo(9);
        assertThat(summary.opsetChange().to()).isEqualTo(13);
        assertThat(summary.quantized()).filteredOn(node -> node.node().opType().equals("Conv")).hasSize(38);
        assertThat(summary.quantized()).filteredOn(node -> node.node().opType().equals("MatMul")).hasSize(13);
        assertThat(summary.quantized()).filteredOn(node -> node.notes().stream()
                .anyMatch(note -> note.startsWith("folded BatchNormalization"))).hasSize(6);
        assertThat(summary.quantizedWeightCount()).as("weights read from Constant nodes").isGreaterThan(0);
        assertWeightsQuantized(model, result);

        CtcGreedyDecoder decoder = CtcGreedyDecoder.paddleOcr(paddleOcr.keys());
        List<float[]> reference = recognize(paddleOcr.recognizer(), decoder);
        List<float[]> quantized = recognize(saved(result.model(), "recognizer-a8w8.onnx"), decoder);
        RecognitionScore fp32Score = RecognitionScore.of(reference, reference, evaluationTexts, decoder);
        RecognitionScore a8w8Score = RecognitionScore.of(quantized, reference, evaluationTexts, decoder);
        LOG.info("PP-OCRv4 recognizer on {} lines ({} clean): fp32 {}; a8w8 {}; {} quantized nodes, {} weights",
                EVALUATION_LINES, CLEAN_LINES, fp32Score, a8w8Score, summary.quantized().size(),
                summary.quantizedWeightCount());

        assertThat(a8w8Score.meanFrameCosine()).as("mean per-frame cosine to fp32")
                .isGreaterThanOrEqualTo(MIN_MEAN_FRAME_COSINE);
        assertThat(a8w8Score.characterErrorRate()).as("character error rate")
                .isLessThanOrEqualTo(fp32Score.characterErrorRate() + MAX_CER_INCREASE);
        assertThat(a8w8Score.cleanExact()).as("clean lines read exactly")
                .isGreaterThanOrEqualTo(fp32Score.cleanExact() - MAX_CLEAN_LINES_LOST);
    }

    @Test
    void perTensorClassifierLoadsWithGraphOptimizations() throws Exception {
        QuantizationResult result = quantizeClassifier(Presets.byName("a8w8").toBuilder().perChannel(false).build());

        // At opset 10 ONNX Runtime's fusions insert a Round node, which needs opset 11, and loading fails.
        assertThat(result.summary().opsetChange().to()).isGreaterThanOrEqualTo(11);
        boolean[] orientations = classify(saved(result.model(), "classifier-per-tensor.onnx"),
                new float[EVALUATION_LINES * 3 * TextLineRenderer.HEIGHT * TextLineRenderer.CLASSIFIER_WIDTH]);
        assertThat(orientations).hasSize(EVALUATION_LINES);
    }

    private QuantizationResult quantizeClassifier(QuantConfig config) throws Exception {
        ModelProto model = ModelIo.load(paddleOcr.classifier(), ModelLimits.defaults());
        List<Map<String, TensorValue>> calibration = new ArrayList<>();
        for (int index = 0; index < calibrationLines.size(); index++) {
            float[] values = classifierInput(calibrationLines.get(index), index % 2 == 1);
            calibration.add(Map.of(inputName(model), TensorValue.ofFloats(classifierShape(1), values)));
        }
        return QdqQuantizer.quantize(model, config, ActivationRanges.fromStatistics(calibrate(model, calibration),
                config));
    }

    @Test
    void a8w8ClassifierKeepsOrientations() throws Exception {
        ModelProto model = ModelIo.load(paddleOcr.classifier(), ModelLimits.defaults());
        QuantizationResult result = quantizeClassifier(Presets.byName("a8w8"));

        assertThat(result.summary().quantizedWeightCount()).isGreaterThan(0);
        assertWeightsQuantized(model, result);
        boolean[] upsideDown = new boolean[EVALUATION_LINES];
        float[] batch = new float[EVALUATION_LINES * 3 * TextLineRenderer.HEIGHT * TextLineRenderer.CLASSIFIER_WIDTH];
        for (int index = 0; index < EVALUATION_LINES; index++) {
            upsideDown[index] = index % 2 == 1;
            float[] values = classifierInput(evaluationLines.get(index), upsideDown[index]);
            System.arraycopy(values, 0, batch, index * values.length, values.length);
        }
        boolean[] fp32Orientations = classify(paddleOcr.classifier(), batch);
        boolean[] a8w8Orientations = classify(saved(result.model(), "classifier-a8w8.onnx"), batch);

        int fp32Correct = countEqual(fp32Orientations, upsideDown);
        int a8w8Correct = countEqual(a8w8Orientations, upsideDown);
        int asFp32 = countEqual(a8w8Orientations, fp32Orientations);
        LOG.info("PP-OCR orientation classifier on {} lines, half turned by 180 degrees: fp32 {} correct, "
                        + "a8w8 {} correct, {} orientations equal to fp32's; {} quantized nodes", EVALUATION_LINES,
                fp32Correct, a8w8Correct, asFp32, result.summary().quantized().size());
        assertThat(a8w8Correct).as("a8w8 orientations correct")
                .isGreaterThanOrEqualTo(fp32Correct - MAX_ORIENTATIONS_LOST);
        assertThat(asFp32).as("a8w8 orientations equal to fp32's").isGreaterThanOrEqualTo(MIN_ORIENTATIONS_AS_FP32);
    }

    /**
     * Asserts that every quantized Conv, MatMul and Gemm reads its constant inputs through a
     * DequantizeLinear of an integer initializer, and that none of the float Constant nodes
     * that held them is left.
     */
    private static void assertWeightsQuantized(ModelProto original, QuantizationResult result) {
        GraphView originalView = new GraphView(original.getGraph());
        Map<String, NodeProto> originalNodes = new HashMap<>();
        original.getGraph().getNodeList().forEach(node -> originalNodes.put(node.getName(), node));
        Set<String> floatWeights = new HashSet<>();
        int weightedNodes = 0;
        GraphQueries graph = GraphQueries.of(result.model());
        for (QuantizationResult.QuantizedNode quantized : result.summary().quantized()) {
            String opType = quantized.node().opType();
            if (!Set.of("Conv", "MatMul", "Gemm").contains(opType)) {
                continue;
            }
            NodeProto before = originalNodes.get(quantized.node().name());
            NodeProto after = graph.node(quantized.node().name());
            for (int input = 0; input < Math.min(2, before.getInputCount()); input++) {
                if (WeightResolver.resolve(originalView, before.getInput(input), original.getIrVersion()).isEmpty()) {
                    continue;
                }
                floatWeights.add(before.getInput(input));
                NodeProto dequantize = graph.producer(after.getInput(input));
                assertThat(dequantize.getOpType()).as("reader of the weight of %s", quantized.node().name())
                        .isEqualTo("DequantizeLinear");
                assertThat(graph.initializerType(dequantize.getInput(0))).as("stored weight of %s",
                        quantized.node().name()).isEqualTo(ElementType.INT8);
                weightedNodes++;
            }
        }
        assertThat(weightedNodes).isPositive();
        List<String> leftConstants = result.model().getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("Constant"))
                .flatMap(node -> node.getOutputList().stream())
                .filter(floatWeights::contains)
                .toList();
        assertThat(leftConstants).as("float Constant weights of quantized nodes").isEmpty();
    }

    private static CalibrationStatistics calibrate(ModelProto model, List<Map<String, TensorValue>> samples)
            throws OrtException {
        Calibrator calibrator = new Calibrator(model, QdqQuantizer.tensorsToCalibrate(model), THREADS,
                CalibrationParameters.DEFAULTS.numBins());
        try (CalibrationRun run = calibrator.open()) {
            for (int index = 0; index < samples.size(); index++) {
                run.add(new Sample("drawn line " + index, samples.get(index)));
            }
            return run.statistics();
        }
    }

    private static Path saved(ModelProto model, String fileName) throws IOException {
        Path file = directory.resolve(fileName);
        ModelIo.save(model, file);
        return file;
    }

    /** Runs every evaluation line through the recognizer in {@code modelFile}; returns the scores per line. */
    private static List<float[]> recognize(Path modelFile, CtcGreedyDecoder decoder) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<float[]> scores = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(THREADS);
            try (OrtSession session = environment.createSession(modelFile.toString(), options)) {
                String input = session.getInputNames().iterator().next();
                for (BufferedImage line : evaluationLines) {
                    TextLineRenderer.RecognizerInput values = TextLineRenderer.toRecognizerInput(line);
                    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(values.values()),
                            values.shape());
                         OrtSession.Result result = session.run(Map.of(input, tensor))) {
                        OnnxTensor output = (OnnxTensor) result.get(0);
                        assertThat(output.getInfo().getShape()[2]).isEqualTo(decoder.classCount());
                        scores.add(floats(output));
                    }
                }
            }
        }
        return scores;
    }

    /** Returns, for each line of {@code batch}, whether the classifier in {@code modelFile} reads it as turned by 180 degrees. */
    private static boolean[] classify(Path modelFile, float[] batch) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(THREADS);
            try (OrtSession session = environment.createSession(modelFile.toString(), options);
                 OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(batch),
                         classifierShape(EVALUATION_LINES));
                 OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
                float[] probabilities = floats((OnnxTensor) result.get(0));
                boolean[] upsideDown = new boolean[EVALUATION_LINES];
                for (int index = 0; index < EVALUATION_LINES; index++) {
                    upsideDown[index] = probabilities[2 * index + 1] > probabilities[2 * index];
                }
                return upsideDown;
            }
        }
    }

    private static float[] classifierInput(BufferedImage line, boolean upsideDown) {
        return TextLineRenderer.toClassifierInput(upsideDown ? TextLineRenderer.rotate180(line) : line);
    }

    private static long[] classifierShape(int lines) {
        return new long[] {lines, 3, TextLineRenderer.HEIGHT, TextLineRenderer.CLASSIFIER_WIDTH};
    }

    private static String inputName(ModelProto model) {
        return model.getGraph().getInput(0).getName();
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static int countEqual(boolean[] actual, boolean[] expected) {
        int equal = 0;
        for (int index = 0; index < actual.length; index++) {
            if (actual[index] == expected[index]) {
                equal++;
            }
        }
        return equal;
    }

    /**
     * Recognition quality of one model over the evaluation lines.
     *
     * @param cleanExact          clean lines decoded exactly
     * @param hardExact           hard lines decoded exactly
     * @param characterErrorRate  Levenshtein edits to the drawn texts over their characters, all lines
     * @param meanFrameCosine     mean over all time steps of the cosine between the class probabilities and fp32's
     */
    private record RecognitionScore(int cleanExact, int hardExact, double characterErrorRate, double meanFrameCosine) {

        static RecognitionScore of(List<float[]> scores, List<float[]> reference, List<String> texts,
                                   CtcGreedyDecoder decoder) {
            int classes = decoder.classCount();
            int cleanExact = 0;
            int hardExact = 0;
            long edits = 0;
            long characters = 0;
            double cosineSum = 0;
            long frames = 0;
            for (int line = 0; line < texts.size(); line++) {
                float[] values = scores.get(line);
                int timeSteps = values.length / classes;
                String decoded = decoder.decode(values, new long[] {1, timeSteps, classes}).get(0).text();
                String text = texts.get(line);
                if (decoded.equals(text)) {
                    if (line < CLEAN_LINES) {
                        cleanExact++;
                    } else {
                        hardExact++;
                    }
                }
                edits += levenshtein(decoded, text);
                characters += text.length();
                for (int step = 0; step < timeSteps; step++) {
                    cosineSum += cosine(values, reference.get(line), step * classes, classes);
                    frames++;
                }
            }
            return new RecognitionScore(cleanExact, hardExact, (double) edits / characters, cosineSum / frames);
        }



        @Override
        public String toString() {
            return String.format("clean exact %d/%d, hard exact %d/%d, CER %.4f, mean frame cosine %.4f", cleanExact,
                    CLEAN_LINES, hardExact, EVALUATION_LINES - CLEAN_LINES, characterErrorRate, meanFrameCosine);
        }
    }
}
