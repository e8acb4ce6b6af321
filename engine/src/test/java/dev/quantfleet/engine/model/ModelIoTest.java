package dev.quantfleet.engine.model;

import static dev.quantfleet.engine.model.ModelFixtures.graphAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.node;
import static dev.quantfleet.engine.model.ModelFixtures.randomFloats;
import static dev.quantfleet.engine.model.ModelFixtures.tensorAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.FunctionProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.SparseTensorProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

class ModelIoTest {

    @TempDir
    Path folder;

    @Test
    void unchangedModelSavesByteIdentical() throws IOException {
        ModelProto model = unusualModel();
        Path input = folder.resolve("input.onnx");
        Files.write(input, model.toByteArray());

        ModelProto loaded = ModelIo.load(input, ModelLimits.defaults());
        Path output = folder.resolve("output.onnx");
        ModelIo.save(loaded, output);

        assertThat(loaded).isEqualTo(model);
        assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(input));
        assertThat(ModelIo.toBytes(loaded)).isEqualTo(Files.readAllBytes(input));
        assertThat(loaded.getUnknownFields().hasField(26)).isTrue();
        assertThat(Files.exists(folder.resolve("output.onnx.data"))).isFalse();
    }

    @Test
    void deeplyNestedSubgraphsParse() throws IOException {
        GraphProto body = GraphProto.newBuilder().setName("leaf")
                .addNode(node("Identity", List.of("x"), List.of("y")))
                .addOutput(tensorInfo("y", ElementType.FLOAT, 1))
                .build();
        GraphProto leaf = body;
        for (int depth = 0; depth < 60; depth++) {
            body = GraphProto.newBuilder().setName("level" + depth)
                    .addNode(node("If", List.of("condition"), List.of("y"),
                            graphAttribute("then_branch", body), graphAttribute("else_branch", leaf)))
                    .addOutput(tensorInfo("y", ElementType.FLOAT, 1))
                    .build();
        }
        ModelProto model = ModelFixtures.model(body, 10, 21);
        Path file = folder.resolve("nested.onnx");
        Files.write(file, model.toByteArray());

        assertThat(ModelIo.load(file, ModelLimits.defaults())).isEqualTo(model);
    }

    @Test
    void loadRejectsFileOverLimit() throws IOException {
        Path file = folder.resolve("model.onnx");
        Files.write(file, unusualModel().toByteArray());
        long size = Files.size(file);

        assertThatThrownBy(() -> ModelIo.load(file, new ModelLimits(100, 0)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(Long.toString(size))
                .hasMessageContaining("limit of 100 bytes")
                .hasMessageContaining("raise ModelLimits.maxModelBytes");
    }

    @Test
    void loadRejectsNonModelFile() throws IOException {
        Path file = folder.resolve("garbage.onnx");
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 0x02});

        assertThatThrownBy(() -> ModelIo.load(file, ModelLimits.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a valid ONNX model");
    }

    @Test
    void loadRejectsModelWithoutRequiredFields() throws IOException {
        ModelProto valid = ModelFixtures.model(GraphProto.newBuilder().setName("empty").build(), 10, 21);
        Map<String, ModelProto> cases = new LinkedHashMap<>();
        cases.put("no graph", ModelProto.getDefaultInstance());
        cases.put("no ir_version", valid.toBuilder().clearIrVersion().build());
        cases.put("no opset_import", valid.toBuilder().clearOpsetImport().build());
        for (Map.Entry<String, ModelProto> entry : cases.entrySet()) {
            Path file = Files.write(folder.resolve("invalid.onnx"), entry.getValue().toByteArray());

            assertThatThrownBy(() -> ModelIo.load(file, ModelLimits.defaults()))
                    .as(entry.getKey())
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("is not a valid ONNX model: " + entry.getKey());
        }
        Path emptyGraph = Files.write(folder.resolve("empty-graph.onnx"), valid.toByteArray());
        assertThat(ModelIo.load(emptyGraph, ModelLimits.defaults())).isEqualTo(valid);
    }

    @Test
    void saveUsesItsOwnTemporaryFile() throws IOException {
        ModelProto model = unusualModel();
        Path out = folder.resolve("model.onnx");
        Path otherRunsTemporary = Files.writeString(folder.resolve(".model.onnx.tmp"), "another save in progress");

        ModelIo.save(model, out);

        assertThat(ModelIo.load(out, ModelLimits.defaults())).isEqualTo(model);
        assertThat(otherRunsTemporary).hasContent("another save in progress");
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.onnx", ".model.onnx.tmp");
        }
    }

    @Test
    void loadRejectsEmptyFile() throws IOException {
        Path file = Files.write(folder.resolve("empty.onnx"), new byte[0]);

        assertThatThrownBy(() -> ModelIo.load(file, ModelLimits.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("Model file " + file + " is not a valid ONNX model: no graph (0 bytes). Export the model "
                        + "again or check that the file is complete");
    }

    @Test
    void limitsRejectInvalidValues() {
        assertThatThrownBy(() -> new ModelLimits(0, 1)).hasMessageContaining("maxModelBytes is 0");
        assertThatThrownBy(() -> new ModelLimits(4L << 30, 1)).hasMessageContaining("protobuf parses at most 2 GiB");
        assertThatThrownBy(() -> new ModelLimits(1, -1)).hasMessageContaining("maxExternalDataBytes is -1");
        assertThatThrownBy(() -> new SaveOptions(-1, 0)).hasMessageContaining("externalDataThresholdBytes is -1");
        assertThatThrownBy(() -> new SaveOptions(0, -5)).hasMessageContaining("minExternalTensorBytes is -5");
    }

    @Test
    void externalDataIsInlinedEverywhere() throws IOException {
        float[] weight = randomFloats(new Random(7), 6);
        float[] constant = randomFloats(new Random(8), 4);
        float[] nested = randomFloats(new Random(9), 3);
        Files.createDirectories(folder.resolve("weights"));
        Files.write(folder.resolve("weights/all.bin"), concat(new byte[5], littleEndian(weight), littleEndian(constant)));
        Files.write(folder.resolve("nested.bin"), littleEndian(nested));

        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addInitializer(external("nested", new long[] {3}, "nested.bin", null, null))
                .addNode(node("Identity", List.of("nested"), List.of("then_out")))
                .addOutput(tensorInfo("then_out", ElementType.FLOAT, 3))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("main")
                .addInitializer(external("weight", new long[] {2, 3}, "weights/all.bin", 5L, 24L))
                .addNode(node("Constant", List.of(), List.of("constant"),
                        tensorAttribute("value", external("constant", new long[] {4}, "./weights/all.bin", 29L, 16L))))
                .addNode(node("If", List.of("condition"), List.of("branch_out"),
                        graphAttribute("then_branch", thenBranch), graphAttribute("else_branch", thenBranch)))
                .addInput(tensorInfo("condition", ElementType.BOOL))
                .addOutput(tensorInfo("branch_out", ElementType.FLOAT, 3))
                .build();
        Path file = folder.resolve("model.onnx");
        Files.write(file, ModelFixtures.model(graph, 10, 21).toByteArray());

        ModelProto loaded = ModelIo.load(file, ModelLimits.defaults());

        TensorProto loadedWeight = loaded.getGraph().getInitializer(0);
        assertThat(loadedWeight.getDataLocation()).isEqualTo(TensorProto.DataLocation.DEFAULT);
        assertThat(loadedWeight.getExternalDataCount()).isZero();
        assertThat(TensorCodec.toFloats(loadedWeight)).containsExactly(weight);
        TensorProto loadedConstant = loaded.getGraph().getNode(0).getAttribute(0).getT();
        assertThat(TensorCodec.toFloats(loadedConstant)).containsExactly(constant);
        TensorProto loadedNested = loaded.getGraph().getNode(1).getAttribute(0).getG().getInitializer(0);
        assertThat(TensorCodec.toFloats(loadedNested)).containsExactly(nested);
    }

    @Test
    void externalLocationOutsideModelFolderIsRejected() throws IOException {
        Path modelFolder = Files.createDirectories(folder.resolve("model"));
        Path outside = folder.resolve("outside.bin");
        Files.write(outside, new byte[16]);
        Files.createSymbolicLink(modelFolder.resolve("link.bin"), outside);

        assertThat(loadFailure(modelFolder, outside.toString()))
                .contains("'w'").contains(outside.toString()).contains("absolute path");
        assertThat(loadFailure(modelFolder, "../outside.bin"))
                .contains("'w'").contains("../outside.bin").contains("'..'");
        assertThat(loadFailure(modelFolder, "sub/../../outside.bin")).contains("'..'");
        assertThat(loadFailure(modelFolder, "link.bin"))
                .contains("'w'").contains("link.bin").contains("outside the model folder");
    }

    @Test
    void externalLocationInsideFolderThroughLinkIsAccepted() throws IOException {
        Path modelFolder = Files.createDirectories(folder.resolve("model"));
        Files.createDirectories(modelFolder.resolve("data"));
        float[] values = {1f, 2f, 3f, 4f};
        Files.write(modelFolder.resolve("data/real.bin"), littleEndian(values));
        Files.createSymbolicLink(modelFolder.resolve("alias.bin"), modelFolder.resolve("data/real.bin"));

        ModelProto loaded = loadWithExternal(modelFolder, "alias.bin", null, null, ModelLimits.defaults());

        assertThat(TensorCodec.toFloats(loaded.getGraph().getInitializer(0))).containsExactly(values);
    }

    @Test
    void externalRangeIsCheckedAgainstFile() throws IOException {
        Path modelFolder = Files.createDirectories(folder.resolve("model"));
        Files.write(modelFolder.resolve("w.bin"), new byte[20]);

        assertThatThrownBy(() -> loadWithExternal(modelFolder, "w.bin", 8L, 16L, ModelLimits.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("reads bytes 8 to 24")
                .hasMessageContaining("only 20 bytes");
        assertThatThrownBy(() -> loadWithExternal(modelFolder, "w.bin", 0L, 12L, ModelLimits.defaults()))
                .hasMessageContaining("(16 bytes) but its external data length is 12");
        assertThatThrownBy(() -> loadWithExternal(modelFolder, "missing.bin", null, null, ModelLimits.defaults()))
                .hasMessageContaining("'missing.bin'").hasMessageContaining("was not found");
        assertThatThrownBy(() -> loadWithExternal(modelFolder, "w.bin", 0L, 16L,
                new ModelLimits(ModelLimits.PROTOBUF_MAX_BYTES, 10)))
                .hasMessageContaining("limit of 10 bytes")
                .hasMessageContaining("raise ModelLimits.maxExternalDataBytes");
    }

    @Test
    void largeModelSavesWithExternalData() throws IOException, ai.onnxruntime.OrtException {
        Random random = new Random(11);
        float[] big = randomFloats(random, 300_000);
        float[] small = randomFloats(random, 8);
        float[] bias = randomFloats(random, 1);
        GraphProto graph = GraphProto.newBuilder().setName("external")
                .addInitializer(TensorCodec.fromFloats("big", new long[] {300_000}, big))
                .addInitializer(TensorCodec.fromFloats("small", new long[] {8}, small))
                .addInitializer(TensorCodec.fromFloats("bias", new long[0], bias))
                .addNode(node("ReduceSum", List.of("big"), List.of("big_sum"), ModelFixtures.intAttribute("keepdims", 0)))
                .addNode(node("Mul", List.of("x", "small"), List.of("scaled")))
                .addNode(node("Add", List.of("scaled", "big_sum"), List.of("shifted")))
                .addNode(node("Add", List.of("shifted", "bias"), List.of("y")))
                .addInput(tensorInfo("x", ElementType.FLOAT, 8))
                .addOutput(tensorInfo("y", ElementType.FLOAT, 8))
                .build();
        ModelProto model = ModelFixtures.model(graph, 8, 13);
        SaveOptions options = new SaveOptions(1000, 20);

        Path first = Files.createDirectories(folder.resolve("first")).resolve("model.onnx");
        Path second = Files.createDirectories(folder.resolve("second")).resolve("model.onnx");
        ModelIo.save(model, first, options);
        ModelIo.save(ModelIo.load(first, ModelLimits.defaults()), second, options);

        Path dataFile = first.resolveSibling("model.onnx.data");
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        assertThat(Files.readAllBytes(second.resolveSibling("model.onnx.data"))).isEqualTo(Files.readAllBytes(dataFile));
        ModelProto written = ModelProto.parseFrom(Files.readAllBytes(first));
        assertThat(externalKeys(written.getGraph().getInitializer(0)))
                .containsExactly(Map.entry("location", "model.onnx.data"), Map.entry("offset", "0"),
                        Map.entry("length", "1200000"));
        assertThat(externalKeys(written.getGraph().getInitializer(1)))
                .containsExactly(Map.entry("location", "model.onnx.data"), Map.entry("offset", "1200000"),
                        Map.entry("length", "32"));
        assertThat(written.getGraph().getInitializer(2).hasRawData()).isTrue();
        assertThat(Files.size(dataFile)).isEqualTo(1_200_032L);
        assertThat(ModelIo.load(first, ModelLimits.defaults())).isEqualTo(model);

        float[] x = randomFloats(random, 8);
        float[] fromFile = OrtRunner.runFile(first, OrtRunner.Input.floats("x", x, 8)).get("y");
        float[] inMemory = OrtRunner.run(ModelIo.toBytes(model), OrtRunner.Input.floats("x", x, 8)).get("y");
        assertThat(fromFile).containsExactly(inMemory);
    }

    @Test
    void largeTensorsStartAtAlignedOffsets() throws IOException {
        Random random = new Random(12);
        GraphProto graph = GraphProto.newBuilder().setName("aligned")
                .addInitializer(TensorCodec.fromFloats("a", new long[] {5}, randomFloats(random, 5)))
                .addInitializer(TensorCodec.fromFloats("b", new long[] {1 << 18}, randomFloats(random, 1 << 18)))
                .build();
        Path file = folder.resolve("aligned.onnx");

        ModelIo.save(ModelFixtures.model(graph, 10, 21), file, new SaveOptions(0, 0));

        ModelProto written = ModelProto.parseFrom(Files.readAllBytes(file));
        assertThat(externalKeys(written.getGraph().getInitializer(0))).containsEntry("offset", "0");
        assertThat(externalKeys(written.getGraph().getInitializer(1))).containsEntry("offset", "65536");
        assertThat(Files.size(folder.resolve("aligned.onnx.data"))).isEqualTo(65536L + (1 << 20));
    }

    @Test
    void saveRejectsUnresolvedExternalTensor() {
        GraphProto graph = GraphProto.newBuilder()
                .addInitializer(external("w", new long[] {4}, "w.bin", null, null))
                .build();
        ModelProto model = ModelFixtures.model(graph, 10, 21);

        assertThatThrownBy(() -> ModelIo.toBytes(model))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w' refers to external data");
        assertThatThrownBy(() -> ModelIo.save(model, folder.resolve("m.onnx")))
                .hasMessageContaining("'w' refers to external data");
    }

    private String loadFailure(Path modelFolder, String location) {
        try {
            loadWithExternal(modelFolder, location, null, null, ModelLimits.defaults());
        } catch (InvalidModelException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError("Expected InvalidModelException, got " + e, e);
        }
        throw new AssertionError("Location '" + location + "' was accepted");
    }

    private static ModelProto loadWithExternal(Path modelFolder, String location, Long offset, Long length,
            ModelLimits limits) throws IOException {
        GraphProto graph = GraphProto.newBuilder().setName("g")
                .addInitializer(external("w", new long[] {4}, location, offset, length))
                .build();
        Path file = modelFolder.resolve("model.onnx");
        Files.write(file, ModelFixtures.model(graph, 10, 21).toByteArray());
        return ModelIo.load(file, limits);
    }

    private static TensorProto external(String name, long[] dims, String location, Long offset, Long length) {
        TensorProto.Builder builder = TensorProto.newBuilder()
                .setName(name)
                .setDataType(ElementType.FLOAT.code())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        for (long dim : dims) {
            builder.addDims(dim);
        }
        if (offset != null) {
            builder.addExternalData(entry("offset", offset.toString()));
        }
        if (length != null) {
            builder.addExternalData(entry("length", length.toString()));
        }
        return builder.build();
    }

    private static Map<String, String> externalKeys(TensorProto tensor) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        tensor.getExternalDataList().forEach(entry -> keys.put(entry.getKey(), entry.getValue()));
        return keys;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] joined = new byte[total];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, position, part.length);
            position += part.length;
        }
        return joined;
    }

    /**
     * A model with IR 10, two opset domains, metadata, an int4 initializer, a sparse initializer,
     * an If node with subgraphs, a model-local function and an unknown field (IR 11 "configuration").
     */
    static ModelProto unusualModel() {
        Random random = new Random(3);
        TensorProto int4 = TensorCodec.fromLongs("packed", new long[] {5}, ElementType.INT4,
                new long[] {-8, -1, 0, 3, 7});
        TensorProto weight = TensorCodec.fromFloats("weight", new long[] {2, 2}, randomFloats(random, 4));
        SparseTensorProto sparse = SparseTensorProto.newBuilder()
                .setValues(TensorCodec.fromFloats("sparse", new long[] {2}, new float[] {1.5f, -2f}))
                .setIndices(TensorCodec.fromLongs("sparse_indices", new long[] {2}, ElementType.INT64, new long[] {0, 3}))
                .addDims(4)
                .build();
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(node("Relu", List.of("x"), List.of("then_y")))
                .addOutput(tensorInfo("then_y", ElementType.FLOAT, "batch", 2))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(node("Neg", List.of("x"), List.of("else_y")))
                .addOutput(tensorInfo("else_y", ElementType.FLOAT, "batch", 2))
                .build();
        NodeProto ifNode = node("If", List.of("condition"), List.of("branch"),
                graphAttribute("then_branch", thenBranch), graphAttribute("else_branch", elseBranch))
                .toBuilder()
                .addMetadataProps(entry("origin", "test"))
                .setDocString("picks a branch")
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("unusual")
                .setDocString("graph doc")
                .addInitializer(int4)
                .addInitializer(weight)
                .addSparseInitializer(sparse)
                .addNode(ifNode)
                .addNode(node("MatMul", List.of("branch", "weight"), List.of("y")))
                .addNode(NodeProto.newBuilder().setOpType("Twice").setDomain("local").addInput("y").addOutput("z"))
                .addInput(tensorInfo("x", ElementType.FLOAT, "batch", 2))
                .addInput(tensorInfo("condition", ElementType.BOOL))
                .addOutput(tensorInfo("z", ElementType.FLOAT, "batch", 2))
                .addValueInfo(tensorInfo("y", ElementType.FLOAT, "batch", 2))
                .addMetadataProps(entry("graph_key", "graph_value"))
                .build();
        FunctionProto twice = FunctionProto.newBuilder()
                .setName("Twice").setDomain("local")
                .addInput("a").addOutput("b")
                .addNode(node("Add", List.of("a", "a"), List.of("b")))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(10)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .setProducerName("quantfleet-test")
                .setProducerVersion("0.1")
                .setDomain("dev.quantfleet")
                .setModelVersion(3)
                .setDocString("A model with unusual fields")
                .setGraph(graph)
                .addMetadataProps(entry("author", "quantfleet"))
                .addMetadataProps(entry("license", "none"))
                .addFunctions(twice)
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(26, UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("\n\u0004cpu0")).build())
                        .build())
                .build();
    }
}
