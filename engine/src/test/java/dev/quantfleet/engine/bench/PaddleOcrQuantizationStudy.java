package dev.quantfleet.engine.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.calibration.CalibrationRun;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.graph.OpsetConverter;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantizationResult;
import dev.quantfleet.engine.quantize.ops.OpRegistry;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.testing.DebianDescriptions;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.quantfleet.engine.metrics.EditDistance.levenshtein;
import static dev.quantfleet.engine.metrics.VectorSimilarity.cosine;

/**
 * Measures how quantization changes the PaddleOCR PP-OCRv4 text line recognizer and the text
 * orientation classifier on lines drawn from Debian package synopses: synopses 0 to 59 for
 * evaluation, each drawn clean and hard (seed = index), and synopses 300 to 331 for calibration,
 * alternately clean and hard. Not a test: it prints its numbers.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code recognizer}: fp32, fp32 converted to opset 13, each preset, {@code a8w8} with every
 *       supported op type, and {@code a8w8} with the Add and Mul of only the convolutional part
 *       or only the attention part. Per set of lines: exact lines, character error rate, and
 *       the mean over time steps of the cosine between the class probabilities and fp32's.</li>
 *   <li>{@code classifier}: fp32 and {@code a8w8} with the default op types, with every
 *       supported op type, and with the Conv and BatchNormalization pairs kept apart. Every
 *       second line is turned by 180 degrees. Accuracy, orientations equal to fp32's, and the mean
 *       absolute change of the 180-degree probability.</li>
 *   <li>{@code trace OP_TYPES}: the recognizer with {@code a8w8} over the comma-separated op types
 *       ({@code default} for the default), and the signal-to-quantization-noise ratio
 *       {@code 10 log10(sum x^2 / sum (x - x_q)^2)} of every calibrated tensor on 6 lines, in
 *       graph order.</li>
 * </ul>
 * Sessions run with 2 intra-op threads at ONNX Runtime's {@code ALL_OPT} level. Run from the
 * repository root after {@code PaddleOcrRecognitionTest} has fetched the models:
 * <pre>
 *   ./mvnw -B -q test-compile dependency:build-classpath -pl engine \
 *       -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 *   java -Xmx4g -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/test-classpath.txt) \
 *       dev.quantfleet.engine.bench.PaddleOcrQuantizationStudy recognizer
 * </pre>
 */
public final class PaddleOcrQuantizationStudy {

    private static final Path ASSETS = Path.of("engine/target/real-models/paddleocr/package/assets");
    private static final int EVALUATION_TEXTS = 60;
    private static final int CALIBRATION_SKIP = 300;
    private static final int CALIBRATION_TEXTS = 32;
    private static final int TRACE_LINES = 6;
    private static final int THREADS = 2;
    private static final OptLevel OPTIMIZATION_LEVEL = OptLevel.ALL_OPT;

    private final TextLineRenderer renderer = new TextLineRenderer();
    private final List<String> texts = DebianDescriptions.synopses(0, EVALUATION_TEXTS);
    private final List<BufferedImage> lines = new ArrayList<>();
    private final List<BufferedImage> calibrationLines = new ArrayList<>();

    private PaddleOcrQuantizationStudy() {
        for (int index = 0; index < texts.size(); index++) {
            lines.add(renderer.draw(texts.get(index), Options.clean()));
        }
        for (int index = 0; index < texts.size(); index++) {
            lines.add(renderer.draw(texts.get(index), Options.hard(index)));
        }
        List<String> calibrationTexts = DebianDescriptions.synopses(CALIBRATION_SKIP, CALIBRATION_TEXTS);
        for (int index = 0; index < calibrationTexts.size(); index++) {
            Options options = index % 2 == 0 ? Options.clean() : Options.hard(1000 + index);
            calibrationLines.add(renderer.draw(calibrationTexts.get(index), options));
        }
    }

    public static void main(String[] arguments) throws Exception {
        String mode = arguments.length > 0 ? arguments[0] : "recognizer";
        PaddleOcrQuantizationStudy study = new PaddleOcrQuantizationStudy();
        switch (mode) {
            case "recognizer" -> study.recognizer();
            case "classifier" -> study.classifier();
            case "trace" -> study.trace(arguments.length > 1 ? arguments[1] : "default");
            default -> throw new IllegalArgumentException("Unknown mode '" + mode
                    + "'; the modes are recognizer, classifier and trace OP_TYPES");
        }
    }

    private void recognizer() throws Exception {
        ModelProto model = ModelIo.load(ASSETS.resolve("ch_PP-OCRv4_rec_infer.onnx"), ModelLimits.defaults());
        CtcGreedyDecoder decoder = CtcGreedyDecoder.paddleOcr(ASSETS.resolve("ppocr_keys_v1.txt"));
        List<float[]> reference = recognize(model);
        printRecognition("fp32", reference, reference, decoder);
        ModelProto converted = OpsetConverter.convert(model, 13).model();
        printRecognition("fp32 converted to opset 13", recognize(converted), reference, decoder);

        CalibrationStatistics statistics = calibrate(model, recognizerSamples(model));
        for (String preset : Presets.names()) {
            if (!preset.startsWith("dynamic")) {
                printRecognition(preset, recognize(quantize(model, Presets.byName(preset), statistics)), reference, decoder);
            }
        }
        QuantConfig a8w8 = Presets.byName("a8w8");
        QuantConfig everyOpType = a8w8.toBuilder().opTypesToQuantize(List.copyOf(OpRegistry.standard().opTypes())).build();
        printRecognition("a8w8, every supported op type", recognize(quantize(model, everyOpType, statistics)), reference,
                decoder);

        List<String> convolutionalPart = new ArrayList<>();
        List<String> attentionPart = new ArrayList<>();
        splitAddAndMul(model, convolutionalPart, attentionPart);
        QuantConfig convolutionalAddMul = everyOpType.toBuilder().nodesToExclude(attentionPart).build();
        QuantConfig attentionAddMul = everyOpType.toBuilder().nodesToExclude(convolutionalPart).build();
        printRecognition("a8w8, Add and Mul of the convolutional part (" + convolutionalPart.size() + ")",
                recognize(quantize(model, convolutionalAddMul, statistics)), reference, decoder);
        printRecognition("a8w8, Add and Mul of the attention part (" + attentionPart.size() + ")",
                recognize(quantize(model, attentionAddMul, statistics)), reference, decoder);
    }

    /**
     * Splits the Add and Mul nodes into those before the first MatMul (the convolutional
     * backbone) and the rest (attention blocks and head).
     */
    private static void splitAddAndMul(ModelProto model, List<String> convolutional, List<String> attention) {
        boolean attentionStarted = false;
        for (NodeProto node : model.getGraph().getNodeList()) {
            attentionStarted |= node.getOpType().equals("MatMul");
            if (node.getOpType().equals("Add") || node.getOpType().equals("Mul")) {
                (attentionStarted ? attention : convolutional).add(node.getName());
            }
        }
    }

    private void classifier() throws Exception {
        ModelProto model = ModelIo.load(ASSETS.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx"), ModelLimits.defaults());
        String input = model.getGraph().getInput(0).getName();
        List<Map<String, TensorValue>> samples = new ArrayList<>();
        for (int index = 0; index < calibrationLines.size(); index++) {
            float[] values = classifierInput(calibrationLines.get(index), index % 2 == 1);
            samples.add(Map.of(input, TensorValue.ofFloats(new long[] {1, 3, TextLineRenderer.HEIGHT,
                    TextLineRenderer.CLASSIFIER_WIDTH}, values)));
        }
        CalibrationStatistics statistics = calibrate(model, samples);
        float[] reference = classify(model);
        printClassification("fp32", reference, reference);

        QuantConfig a8w8 = Presets.byName("a8w8");
        QuantConfig everyOpType = a8w8.toBuilder().opTypesToQuantize(List.copyOf(OpRegistry.standard().opTypes())).build();
        printClassification("a8w8", classify(quantize(model, a8w8, statistics)), reference);
        printClassification("a8w8, every supported op type", classify(quantize(model, everyOpType, statistics)),
                reference);
        ModelProto unfoldable = separateNormalizations(model);
        CalibrationStatistics unfoldableStatistics = calibrate(unfoldable, samples);
        printClassification("a8w8, BatchNormalization not folded",
                classify(quantize(unfoldable, a8w8, unfoldableStatistics)), reference);
    }

    /**
     * Puts an Identity between every Conv and a BatchNormalization it feeds, so that the
     * quantizer cannot fold them and quantizes the Conv output before the normalization.
     */
    private static ModelProto separateNormalizations(ModelProto model) {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearNode();
        Map<String, String> producerTypes = new HashMap<>();
        model.getGraph().getNodeList().forEach(node -> producerTypes.put(node.getOutput(0), node.getOpType()));
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOpType().equals("BatchNormalization") && "Conv".equals(producerTypes.get(node.getInput(0)))) {
                String separated = node.getInput(0) + "_separated";
                graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(separated)
                        .addInput(node.getInput(0)).addOutput(separated));
                graph.addNode(node.toBuilder().setInput(0, separated));
            } else {
                graph.addNode(node);
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private void trace(String opTypes) throws Exception {
        ModelProto model = ModelIo.load(ASSETS.resolve("ch_PP-OCRv4_rec_infer.onnx"), ModelLimits.defaults());
        CalibrationStatistics statistics = calibrate(model, recognizerSamples(model));
        QuantConfig config = Presets.byName("a8w8");
        if (!opTypes.equals("default")) {
            config = config.toBuilder().opTypesToQuantize(List.of(opTypes.split(","))).build();
        }
        ModelProto quantized = quantize(model, config, statistics);

        List<String> names = new ArrayList<>(statistics.tensors().keySet());
        names.remove(model.getGraph().getInput(0).getName());
        Map<String, double[]> sums = new HashMap<>();
        names.forEach(name -> sums.put(name, new double[2]));
        try (OrtSession reference = session(expose(model, names));
             OrtSession candidate = session(expose(quantized, names))) {
            for (int index = 0; index < TRACE_LINES; index++) {
                TextLineRenderer.RecognizerInput input = TextLineRenderer.toRecognizerInput(lines.get(index * 7));
                accumulateNoise(reference, candidate, input, names, sums);
            }
        }
        Map<String, String> producerTypes = new HashMap<>();
        model.getGraph().getNodeList().forEach(node -> node.getOutputList().forEach(
                output -> producerTypes.put(output, node.getOpType())));
        for (NodeProto node : model.getGraph().getNodeList()) {
            for (String output : node.getOutputList()) {
                double[] sum = sums.get(output);
                if (sum != null) {
                    System.out.printf("%-20s %-32s SQNR %7.2f dB%n", producerTypes.get(output), output,
                            10 * Math.log10(sum[0] / Math.max(sum[1], 1e-30)));
                }
            }
        }
    }

    private static void accumulateNoise(OrtSession reference, OrtSession candidate, TextLineRenderer.RecognizerInput input,
                                        List<String> names, Map<String, double[]> sums) throws OrtException {
        Set<String> outputs = new LinkedHashSet<>(names);
        String inputName = reference.getInputNames().iterator().next();
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(input.values()),
                input.shape());
             OrtSession.Result expected = reference.run(Map.of(inputName, tensor), outputs);
             OrtSession.Result actual = candidate.run(Map.of(inputName, tensor), outputs)) {
            for (String name : names) {
                FloatBuffer x = ((OnnxTensor) expected.get(name).orElseThrow()).getFloatBuffer();
                FloatBuffer y = ((OnnxTensor) actual.get(name).orElseThrow()).getFloatBuffer();
                double[] sum = sums.get(name);
                while (x.hasRemaining()) {
                    double signal = x.get();
                    double noise = signal - y.get();
                    sum[0] += signal * signal;
                    sum[1] += noise * noise;
                }
            }
        }
    }

    /** Returns {@code model} with every value of {@code names} added as a float graph output. */
    private static ModelProto expose(ModelProto model, List<String> names) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> outputs = new TreeSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        TypeProto floatType = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code())).build();
        for (String name : names) {
            if (outputs.add(name)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(floatType));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private List<Map<String, TensorValue>> recognizerSamples(ModelProto model) {
        String input = model.getGraph().getInput(0).getName();
        List<Map<String, TensorValue>> samples = new ArrayList<>();
        for (BufferedImage line : calibrationLines) {
            TextLineRenderer.RecognizerInput values = TextLineRenderer.toRecognizerInput(line);
            samples.add(Map.of(input, TensorValue.ofFloats(values.shape(), values.values())));
        }
        return samples;
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

    private static ModelProto quantize(ModelProto model, QuantConfig config, CalibrationStatistics statistics) {
        QuantizationResult result = QdqQuantizer.quantize(model, config, ActivationRanges.fromStatistics(statistics, config));
        return result.model();
    }

    private static OrtSession session(ModelProto model) throws OrtException {
        return OrtSessions.create(ModelIo.toBytes(model), THREADS, OPTIMIZATION_LEVEL);
    }

    private List<float[]> recognize(ModelProto model) throws OrtException {
        List<float[]> scores = new ArrayList<>();
        try (OrtSession session = session(model)) {
            String input = session.getInputNames().iterator().next();
            for (BufferedImage line : lines) {
                TextLineRenderer.RecognizerInput values = TextLineRenderer.toRecognizerInput(line);
                try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(),
                        FloatBuffer.wrap(values.values()), values.shape());
                     OrtSession.Result result = session.run(Map.of(input, tensor))) {
                    scores.add(floats((OnnxTensor) result.get(0)));
                }
            }
        }
        return scores;
    }

    private float[] classify(ModelProto model) throws OrtException {
        int plane = 3 * TextLineRenderer.HEIGHT * TextLineRenderer.CLASSIFIER_WIDTH;
        float[] batch = new float[lines.size() * plane];
        for (int index = 0; index < lines.size(); index++) {
            System.arraycopy(classifierInput(lines.get(index), index % 2 == 1), 0, batch, index * plane, plane);
        }
        long[] shape = {lines.size(), 3, TextLineRenderer.HEIGHT, TextLineRenderer.CLASSIFIER_WIDTH};
        try (OrtSession session = session(model);
             OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(batch), shape);
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            return floats((OnnxTensor) result.get(0));
        }
    }

    private static float[] classifierInput(BufferedImage line, boolean upsideDown) {
        return TextLineRenderer.toClassifierInput(upsideDown ? TextLineRenderer.rotate180(line) : line);
    }

    private void printRecognition(String label, List<float[]> scores, List<float[]> reference, CtcGreedyDecoder decoder) {
        int classes = decoder.classCount();
        StringBuilder line = new StringBuilder(String.format("%-58s", label));
        for (int set = 0; set < 2; set++) {
            int exact = 0;
            long edits = 0;
            long characters = 0;
            double cosineSum = 0;
            long frames = 0;
            for (int index = 0; index < texts.size(); index++) {
                float[] values = scores.get(set * texts.size() + index);
                float[] expected = reference.get(set * texts.size() + index);
                int timeSteps = values.length / classes;
                String decoded = decoder.decode(values, new long[] {1, timeSteps, classes}).get(0).text();
                exact += decoded.equals(texts.get(index)) ? 1 : 0;
                edits += levenshtein(decoded, texts.get(index));
                characters += texts.get(index).length();
                for (int step = 0; step < timeSteps; step++) {
                    cosineSum += cosine(values, expected, step * classes, classes);
                    frames++;
                }
            }
            line.append(String.format(" | %s exact %2d/%d CER %.4f cosine %.4f", set == 0 ? "clean" : "hard", exact,
                    texts.size(), (double) edits / characters, cosineSum / frames));
        }
        System.out.println(line);
    }

    private void printClassification(String label, float[] probabilities, float[] reference) {
        int correct = 0;
        int asReference = 0;
        double change = 0;
        for (int index = 0; index < lines.size(); index++) {
            boolean upsideDown = probabilities[2 * index + 1] > probabilities[2 * index];
            boolean referenceUpsideDown = reference[2 * index + 1] > reference[2 * index];
            correct += upsideDown == (index % 2 == 1) ? 1 : 0;
            asReference += upsideDown == referenceUpsideDown ? 1 : 0;
            change += Math.abs(probabilities[2 * index + 1] - reference[2 * index + 1]);
        }
        System.out.printf("%-40s correct %d/%d, equal to fp32 %d, mean |p180 - fp32| %.4f%n", label, correct,
                lines.size(), asReference, change / lines.size());
    }



    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
