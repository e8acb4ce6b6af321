package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.graph.GraphNamespace;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The openWakeWord "hey jarvis" pipeline as one ONNX model, so that the engine can quantize and
 * evaluate the whole chain against labels. A configuration can also quantize one stage while
 * the others stay fp32, and the task metric then comes through the downstream fp32 stages.
 *
 * <p>The chain is the one openWakeWord runs on a clip: the melspectrogram model turns the
 * {@value #CLIP_SAMPLES} samples (16 kHz, int16-scaled floats) into {@value #MEL_FRAMES} frames
 * of 32 log-mel bins; each value becomes {@code mel / 10 + 2}; windows of {@value #WINDOW_FRAMES}
 * frames, {@value #WINDOW_STRIDE} frames apart, go through the embedding model, which gives one
 * 96-value embedding per window; the head reads the last {@value #EMBEDDINGS} embeddings and
 * returns the score. The clip length is chosen so that the frames give exactly
 * {@value #EMBEDDINGS} windows: {@code 196 = 76 + 15 * 8} frames of 160-sample hops and
 * 512-sample windows need {@code 195 * 160 + 512} samples.
 *
 * <pre>
 *   audio [1, 31712]
 *     └► mel/*  (melspectrogram.onnx)           mel/output [1, 1, 196, 32]
 *     └► pipeline/scale Div 10, pipeline/shift Add 2, pipeline/frames Reshape [196, 32]
 *     └► pipeline/windows Gather (16 x 76 frame indices), pipeline/channel Unsqueeze
 *                                                  windows [16, 76, 32, 1]
 *     └► embedding/*  (embedding_model.onnx)     embedding/output [16, 1, 1, 96]
 *     └► pipeline/embeddings Reshape             embeddings [1, 16, 96]
 *     └► head/*  (hey_jarvis_v0.1.onnx, If node and verifier included)
 *                                                  score [1, 1]
 * </pre>
 * Node names keep the models' own names under the prefixes {@code mel/}, {@code embedding/}
 * and {@code head/}; the connecting nodes are under {@code pipeline/}.
 */
public final class WakeWordPipeline {

    public static final int CLIP_SAMPLES = 31_712;
    public static final int MEL_FRAMES = 196;
    public static final int MEL_BINS = 32;
    public static final int WINDOW_FRAMES = 76;
    public static final int WINDOW_STRIDE = 8;
    public static final int EMBEDDINGS = 16;
    public static final int EMBEDDING_SIZE = 96;

    /** Name of the model input: the clip, {@code [1, 31712]}. */
    public static final String INPUT = "audio";
    /** Name of the model output: the wake word score, {@code [1, 1]}. */
    public static final String OUTPUT = "score";

    /** A model of the pipeline and the node name prefix its nodes carry. */
    public enum Stage {
        MEL("mel/"), EMBEDDING("embedding/"), HEAD("head/");

        private final String prefix;

        Stage(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        /**
         * Returns the {@code nodesToExclude} entry that keeps every node outside this stage in
         * float, so that a configuration quantizes this stage alone.
         */
        public String excludeOthersPattern() {
            return "regex:(?!" + java.util.regex.Pattern.quote(prefix) + ").*";
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String GLUE = "pipeline/";
    private static final String WINDOWS = "windows";
    private static final String EMBEDDINGS_VALUE = "embeddings";

    private WakeWordPipeline() {
    }

    /**
     * Builds the pipeline model from the three openWakeWord models.
     *
     * @throws IOException if a model cannot be read
     */
    public static ModelProto build(OpenWakeWordModels files) throws IOException {
        ModelProto mel = ModelIo.load(files.melspectrogram(), ModelLimits.defaults());
        ModelProto embedding = ModelIo.load(files.embedding(), ModelLimits.defaults());
        ModelProto head = ModelIo.load(files.heyJarvis(), ModelLimits.defaults());

        GraphProto melGraph = new GraphNamespace(Stage.MEL.prefix(),
                Map.of(onlyInput(mel), INPUT)).copy(mel.getGraph());
        GraphProto embeddingGraph = new GraphNamespace(Stage.EMBEDDING.prefix(),
                Map.of(onlyInput(embedding), WINDOWS)).copy(embedding.getGraph());
        GraphProto headGraph = new GraphNamespace(Stage.HEAD.prefix(),
                Map.of(onlyInput(head), EMBEDDINGS_VALUE, onlyOutput(head), OUTPUT)).copy(head.getGraph());

        GraphProto.Builder graph = GraphProto.newBuilder().setName("openwakeword_hey_jarvis")
                .addInput(floatTensor(INPUT, 1, CLIP_SAMPLES))
                .addOutput(floatTensor(OUTPUT, 1, 1));
        addStage(graph, melGraph);
        addMelToWindows(graph, melGraph.getOutput(0).getName());
        addStage(graph, embeddingGraph);
        addEmbeddingsToHead(graph, embeddingGraph.getOutput(0).getName());
        addStage(graph, headGraph);

        return ModelProto.newBuilder()
                .setIrVersion(Math.max(mel.getIrVersion(), Math.max(embedding.getIrVersion(), head.getIrVersion())))
                .setProducerName("quantfleet-benchmarks")
                .setDocString("openWakeWord melspectrogram, embedding_model and hey_jarvis_v0.1 chained into one model")
                .addAllOpsetImport(mergedOpsets(List.of(mel, embedding, head)))
                .setGraph(graph)
                .build();
    }

    /** Returns the frame index of row {@code window}, column {@code frame}: {@code window * 8 + frame}. */
    static long[] windowFrameIndices() {
        long[] indices = new long[EMBEDDINGS * WINDOW_FRAMES];
        for (int window = 0; window < EMBEDDINGS; window++) {
            for (int frame = 0; frame < WINDOW_FRAMES; frame++) {
                indices[window * WINDOW_FRAMES + frame] = (long) window * WINDOW_STRIDE + frame;
            }
        }
        return indices;
    }

    private static void addStage(GraphProto.Builder graph, GraphProto stage) {
        graph.addAllInitializer(stage.getInitializerList())
                .addAllSparseInitializer(stage.getSparseInitializerList())
                .addAllNode(stage.getNodeList())
                .addAllValueInfo(stage.getValueInfoList());
    }

    private static void addMelToWindows(GraphProto.Builder graph, String melOutput) {
        graph.addInitializer(TensorCodec.scalar(GLUE + "ten", ElementType.FLOAT, 10))
                .addInitializer(TensorCodec.scalar(GLUE + "two", ElementType.FLOAT, 2))
                .addInitializer(TensorCodec.fromLongs(GLUE + "frame_shape", new long[] {2}, ElementType.INT64,
                        new long[] {MEL_FRAMES, MEL_BINS}))
                .addInitializer(TensorCodec.fromLongs(GLUE + "window_frames", new long[] {EMBEDDINGS, WINDOW_FRAMES},
                        ElementType.INT64, windowFrameIndices()))
                .addInitializer(TensorCodec.fromLongs(GLUE + "channel_axis", new long[] {1}, ElementType.INT64,
                        new long[] {3}))
                .addNode(node("Div", GLUE + "scale", List.of(melOutput, GLUE + "ten"), GLUE + "scaled"))
                .addNode(node("Add", GLUE + "shift", List.of(GLUE + "scaled", GLUE + "two"), GLUE + "shifted"))
                .addNode(node("Reshape", GLUE + "frames", List.of(GLUE + "shifted", GLUE + "frame_shape"),
                        GLUE + "frames"))
                .addNode(node("Gather", GLUE + "windows", List.of(GLUE + "frames", GLUE + "window_frames"),
                        GLUE + "window_values").toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                                .setI(0))
                        .build())
                .addNode(node("Unsqueeze", GLUE + "channel", List.of(GLUE + "window_values", GLUE + "channel_axis"),
                        WINDOWS));
    }

    private static void addEmbeddingsToHead(GraphProto.Builder graph, String embeddingOutput) {
        graph.addInitializer(TensorCodec.fromLongs(GLUE + "embeddings_shape", new long[] {3}, ElementType.INT64,
                        new long[] {1, EMBEDDINGS, EMBEDDING_SIZE}))
                .addNode(node("Reshape", GLUE + "embeddings", List.of(embeddingOutput, GLUE + "embeddings_shape"),
                        EMBEDDINGS_VALUE));
    }

    private static String onlyInput(ModelProto model) {
        if (model.getGraph().getInputCount() != 1) {
            throw new IllegalArgumentException("openWakeWord model " + model.getGraph().getName() + " has "
                    + model.getGraph().getInputCount() + " inputs; the pipeline expects models with one input");
        }
        return model.getGraph().getInput(0).getName();
    }

    private static String onlyOutput(ModelProto model) {
        if (model.getGraph().getOutputCount() != 1) {
            throw new IllegalArgumentException("openWakeWord model " + model.getGraph().getName() + " has "
                    + model.getGraph().getOutputCount() + " outputs; the pipeline expects models with one output");
        }
        return model.getGraph().getOutput(0).getName();
    }

    /** Returns one import per domain, at the highest version any model imports. */
    private static List<OperatorSetIdProto> mergedOpsets(List<ModelProto> models) {
        Map<String, Long> versions = new TreeMap<>();
        for (ModelProto model : models) {
            for (OperatorSetIdProto opset : model.getOpsetImportList()) {
                versions.merge(opset.getDomain(), opset.getVersion(), Math::max);
            }
        }
        return versions.entrySet().stream()
                .map(entry -> OperatorSetIdProto.newBuilder().setDomain(entry.getKey()).setVersion(entry.getValue())
                        .build())
                .toList();
    }

    private static NodeProto node(String opType, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    private static ValueInfoProto floatTensor(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).setShape(shape)
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
