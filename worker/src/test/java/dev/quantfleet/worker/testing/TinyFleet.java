package dev.quantfleet.worker.testing;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.localstack.EmbeddedS3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A tiny model and its data in an artifact store, and tasks on them: {@code x [batch, 8]} ─
 * MatMul ─ Relu ─ MatMul ─ Softmax ─ {@code y [batch, 4]}, so the output is a distribution.
 */
public final class TinyFleet {

    public static final String BUCKET = "artifacts";
    public static final String PREFIX = "quantfleet";
    public static final int WIDTH = 8;
    public static final int CLASSES = 4;

    private TinyFleet() {
    }

    /** The uploaded inputs of a search. */
    public record Inputs(TaskArtifacts artifacts, Path modelFile) {
    }

    public static ArtifactStore store(EmbeddedS3 s3) {
        s3.createBucket(BUCKET);
        return ArtifactStore.open(ArtifactStoreConfig.of(s3.endpointUri(), EmbeddedS3.REGION, BUCKET, PREFIX,
                s3.accessKey(), s3.secretKey()));
    }

    /** Builds {@link #model} with weights from {@code seed}, writes data and uploads everything to {@code store}. */
    public static Inputs upload(ArtifactStore store, Path directory, long seed) throws IOException {
        Path modelFile = directory.resolve("tiny.onnx");
        ModelIo.save(model(seed), modelFile);
        Path calibration = writeInputs(directory.resolve("calibration.npy"), 16, seed + 1);
        Path evaluation = writeInputs(directory.resolve("evaluation.npy"), 10, seed + 2);
        ModelReference model = new ModelReference("tiny", "1", store.putContent(modelFile), List.of());
        DataReference calibrationData = new DataReference(store.putContent(calibration), "calibration.npy", null, null);
        DataReference evaluationData = new DataReference(store.putContent(evaluation), "evaluation.npy", null, null);
        return new Inputs(new TaskArtifacts(model, calibrationData, evaluationData, null, null, null), modelFile);
    }

    /**
     * Builds {@link #slowModel} and {@code evaluationSamples} evaluation samples and uploads them,
     * for tasks whose run time grows with {@code chainNodes} times the sample count.
     */
    public static Inputs uploadSlow(ArtifactStore store, Path directory, long seed, int chainNodes,
                                    int evaluationSamples) throws IOException {
        Path modelFile = directory.resolve("slow.onnx");
        ModelIo.save(slowModel(seed, chainNodes), modelFile);
        Path calibration = writeInputs(directory.resolve("slow-calibration.npy"), 4, seed + 1);
        Path evaluation = writeInputs(directory.resolve("slow-evaluation.npy"), evaluationSamples, seed + 2);
        ModelReference model = new ModelReference("slow", "1", store.putContent(modelFile), List.of());
        DataReference calibrationData = new DataReference(store.putContent(calibration), "calibration.npy", null, null);
        DataReference evaluationData = new DataReference(store.putContent(evaluation), "evaluation.npy", null, null);
        return new Inputs(new TaskArtifacts(model, calibrationData, evaluationData, null, null, null), modelFile);
    }

    /** Returns the artifacts of a later round: {@code base} with the outputs of round 0. */
    public static TaskArtifacts laterRound(TaskArtifacts base, ArtifactRef statistics, ArtifactRef reference) {
        return new TaskArtifacts(base.model(), base.calibrationData(), base.evaluationData(), base.labels(), statistics,
                reference);
    }

    /** Returns a BASELINE or CALIBRATE task of {@code requestId}. */
    public static Task roundZeroTask(String requestId, TaskKind kind, TaskArtifacts artifacts, int attempt) {
        return roundZeroTask(requestId, kind, artifacts, "cpu", null, attempt);
    }

    /** Returns a BASELINE or CALIBRATE task of {@code requestId} on {@code pool}, with a deadline or none. */
    public static Task roundZeroTask(String requestId, TaskKind kind, TaskArtifacts artifacts, String pool,
                                     Long deadlineMs, int attempt) {
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION,
                SearchIds.taskId(requestId, 0, kind, SearchIds.FLOAT_MODEL_ID), requestId, 0, kind,
                SearchIds.FLOAT_MODEL_ID, null, 7, pool, artifacts, deadlineMs, attempt, List.of(), null, null,
                new TaskSettings(1, false));
    }

    /** Returns an EVALUATE task of round 1 for {@code config}. */
    public static Task evaluateTask(String requestId, QuantConfig config, TaskArtifacts artifacts, int attempt) {
        String candidateId = SearchIds.candidateId(config);
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION, SearchIds.taskId(requestId, 1, TaskKind.EVALUATE,
                candidateId), requestId, 1, TaskKind.EVALUATE, candidateId, config, 7, "cpu", artifacts, null, attempt,
                List.of(), null, null, new TaskSettings(1, false));
    }

    public static ModelProto model(long seed) {
        Random random = new Random(seed);
        GraphProto graph = GraphProto.newBuilder().setName("tiny")
                .addInput(tensor("x", "batch", WIDTH))
                .addInitializer(TensorCodec.fromFloats("w1", new long[] {WIDTH, WIDTH}, gaussian(random, WIDTH * WIDTH)))
                .addInitializer(TensorCodec.fromFloats("w2", new long[] {WIDTH, CLASSES},
                        gaussian(random, WIDTH * CLASSES)))
                .addNode(node("MatMul", "/fc1/MatMul", "x", "w1", "h1"))
                .addNode(node("Relu", "/fc1/Relu", "h1", null, "r1"))
                .addNode(node("MatMul", "/fc2/MatMul", "r1", "w2", "logits"))
                .addNode(NodeProto.newBuilder().setOpType("Softmax").setName("/softmax").addInput("logits")
                        .addOutput("y").build())
                .addOutput(tensor("y", "batch", CLASSES))
                .build();
        return ModelProto.newBuilder().setIrVersion(10).setProducerName("quantfleet-worker-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph).build();
    }

    /**
     * {@code x [batch, 8]} ─ MatMul to width 256 ─ {@code chainNodes} MatMul nodes that share one
     * {@code [256, 256]} weight scaled by {@code 1 / 16} ─ MatMul to 4 ─ Softmax ─ {@code y [batch, 4]}:
     * the run time grows with {@code chainNodes}, and the output stays a distribution.
     */
    public static ModelProto slowModel(long seed, int chainNodes) {
        int width = 256;
        Random random = new Random(seed);
        float[] chainWeights = gaussian(random, width * width);
        for (int i = 0; i < chainWeights.length; i++) {
            chainWeights[i] /= 16;
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("slow")
                .addInput(tensor("x", "batch", WIDTH))
                .addInitializer(TensorCodec.fromFloats("w_in", new long[] {WIDTH, width}, gaussian(random, WIDTH * width)))
                .addInitializer(TensorCodec.fromFloats("w_chain", new long[] {width, width}, chainWeights))
                .addInitializer(TensorCodec.fromFloats("w_out", new long[] {width, CLASSES},
                        gaussian(random, width * CLASSES)))
                .addNode(node("MatMul", "/in/MatMul", "x", "w_in", "h0"));
        for (int i = 0; i < chainNodes; i++) {
            graph.addNode(node("MatMul", "/chain." + i + "/MatMul", "h" + i, "w_chain", "h" + (i + 1)));
        }
        graph.addNode(node("MatMul", "/out/MatMul", "h" + chainNodes, "w_out", "logits"))
                .addNode(NodeProto.newBuilder().setOpType("Softmax").setName("/softmax").addInput("logits")
                        .addOutput("y").build())
                .addOutput(tensor("y", "batch", CLASSES));
        return ModelProto.newBuilder().setIrVersion(10).setProducerName("quantfleet-worker-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph).build();
    }

    /** Returns {@link #model} with an operator type that ONNX Runtime does not implement, so it rejects the model. */
    public static ModelProto unknownOperatorModel(long seed) {
        ModelProto model = model(seed);
        GraphProto graph = model.getGraph().toBuilder()
                .setNode(1, node("NoSuchOperator", "/fc1/Relu", "h1", null, "r1")).build();
        return model.toBuilder().setGraph(graph).build();
    }

    public static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    private static Path writeInputs(Path file, int count, long seed) throws IOException {
        return NpyWriter.writeFloats(file, new long[] {count, 1, WIDTH}, gaussian(new Random(seed), count * WIDTH));
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static NodeProto node(String opType, String name, String first, String second, String output) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addInput(first).addOutput(output);
        if (second != null) {
            node.addInput(second);
        }
        return node.build();
    }

    private static ValueInfoProto tensor(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Integer size) {
                dimension.setDimValue(size);
            } else {
                dimension.setDimParam((String) dim);
            }
            shape.addDim(dimension);
        }
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).setShape(shape)
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
