package dev.quantfleet.engine.graph;

import static dev.quantfleet.engine.model.ModelFixtures.floatAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.floats;
import static dev.quantfleet.engine.model.ModelFixtures.intAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.ints;
import static dev.quantfleet.engine.model.ModelFixtures.node;
import static dev.quantfleet.engine.model.ModelFixtures.randomFloats;
import static dev.quantfleet.engine.model.ModelFixtures.tensorAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfo;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.graph.WeightResolver.ConstantValue;
import dev.quantfleet.engine.graph.WeightResolver.Resolution;
import dev.quantfleet.engine.model.ModelFixtures;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.SparseTensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

class WeightResolverTest {

    private static final Random RANDOM = new Random(21);

    @Test
    void initializerResolvesWithoutProducers() {
        TensorProto weight = TensorCodec.fromFloats("w", new long[] {2, 2}, randomFloats(RANDOM, 4));
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addInitializer(weight)
                .addNode(node("MatMul", List.of("x", "w"), List.of("y")))
                .build());

        Optional<ConstantValue> value = WeightResolver.resolve(view, "w");

        assertThat(value).isPresent();
        assertThat(value.get().tensor()).isEqualTo(weight);
        assertThat(value.get().producerNodes()).isEmpty();
        assertThat(WeightResolver.explain(view, "x").reason()).contains("'x' is a graph input");
    }

    @Test
    void initializerInInputsIsOverridable() {
        TensorProto weight = TensorCodec.fromFloats("w", new long[] {2}, new float[] {1f, 2f});
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addInitializer(weight)
                .addInput(tensorInfo("w", ElementType.FLOAT, 2))
                .addNode(node("Add", List.of("x", "w"), List.of("y")))
                .build());

        assertThat(WeightResolver.resolve(view, "w")).isEmpty();
        assertThat(WeightResolver.explain(view, "w").reason()).contains("also a graph input");
        assertThat(WeightResolver.resolve(view, "w", 3)).map(ConstantValue::tensor).contains(weight);
    }

    @Test
    void constantAttributesResolve() {
        TensorProto tensor = TensorCodec.fromFloats("ignored", new long[] {3}, new float[] {1f, -2f, 3f});
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addNode(node("Constant", List.of(), List.of("t"), tensorAttribute("value", tensor)))
                .addNode(node("Constant", List.of(), List.of("f"), floatAttribute("value_float", 0.5f)))
                .addNode(node("Constant", List.of(), List.of("fs"), floats("value_floats", 1f, 2f)))
                .addNode(node("Constant", List.of(), List.of("i"), intAttribute("value_int", -4)))
                .addNode(node("Constant", List.of(), List.of("is"), ints("value_ints", 0, 2, 3)))
                .build());

        ConstantValue fromTensor = WeightResolver.resolve(view, "t").orElseThrow();
        assertThat(fromTensor.tensor().getName()).isEqualTo("t");
        assertThat(TensorCodec.toFloats(fromTensor.tensor())).containsExactly(1f, -2f, 3f);
        assertThat(fromTensor.producerNodes()).containsExactly(0);

        ConstantValue scalar = WeightResolver.resolve(view, "f").orElseThrow();
        assertThat(scalar.tensor().getDimsCount()).isZero();
        assertThat(TensorCodec.toFloats(scalar.tensor())).containsExactly(0.5f);
        assertThat(TensorCodec.toFloats(WeightResolver.resolve(view, "fs").orElseThrow().tensor()))
                .containsExactly(1f, 2f);
        ConstantValue integer = WeightResolver.resolve(view, "i").orElseThrow();
        assertThat(integer.elementType()).isEqualTo(ElementType.INT64);
        assertThat(TensorCodec.toLongs(integer.tensor())).containsExactly(-4L);
        ConstantValue integers = WeightResolver.resolve(view, "is").orElseThrow();
        assertThat(integers.tensor().getDimsList()).containsExactly(3L);
        assertThat(TensorCodec.toLongs(integers.tensor())).containsExactly(0L, 2L, 3L);
    }

    @Test
    void sparseConstantIsRejectedWithReason() {
        SparseTensorProto sparse = SparseTensorProto.newBuilder()
                .setValues(TensorCodec.fromFloats("v", new long[] {1}, new float[] {1f}))
                .setIndices(TensorCodec.fromLongs("i", new long[] {1}, ElementType.INT64, new long[] {0}))
                .addDims(4)
                .build();
        AttributeProto attribute = AttributeProto.newBuilder().setName("sparse_value")
                .setType(AttributeProto.AttributeType.SPARSE_TENSOR).setSparseTensor(sparse).build();
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addNode(node("Constant", List.of(), List.of("s"), attribute))
                .build());

        Resolution resolution = WeightResolver.explain(view, "s");

        assertThat(resolution.isConstant()).isFalse();
        assertThat(resolution.reason()).contains("sparse_value");
    }

    @Test
    void castChainOfFloat16InitializerFolds() {
        float[] values = {0.1f, -2.5f, 65504f, 1e-6f};
        TensorProto half = CastFolding.cast(TensorCodec.fromFloats("h", new long[] {4}, values), ElementType.FLOAT16, "h");
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addInitializer(half)
                .addNode(node("Cast", List.of("h"), List.of("h_float"), intAttribute("to", ElementType.FLOAT.code())))
                .addNode(node("Identity", List.of("h_float"), List.of("w")))
                .addNode(node("Conv", List.of("x", "w"), List.of("y")))
                .build());

        ConstantValue value = WeightResolver.resolve(view, "w").orElseThrow();

        assertThat(value.elementType()).isEqualTo(ElementType.FLOAT);
        assertThat(value.tensor().getName()).isEqualTo("w");
        assertThat(value.producerNodes()).containsExactly(0, 1);
        assertThat(TensorCodec.toFloats(value.tensor())).containsExactly(TensorCodec.toFloats(half));
        assertThat(WeightResolver.explain(view, "y").reason()).contains("Conv node").contains("only Constant, Cast");
    }

    @Test
    void castFoldingMatchesOnnxRuntime() throws OrtException {
        float[] values = randomFloats(RANDOM, 64);
        for (int i = 0; i < values.length; i++) {
            values[i] *= (float) Math.pow(10, RANDOM.nextInt(12) - 6);
        }
        values[0] = 1.0009765625f + 0.00048828125f; // exactly halfway between two float16 values
        values[1] = 70000f;
        values[2] = 3e-8f;
        values[3] = -0f;
        long[] dims = {values.length};
        List<ElementType> targets = List.of(ElementType.FLOAT16, ElementType.BFLOAT16, ElementType.DOUBLE,
                ElementType.INT8, ElementType.INT32, ElementType.BOOL);
        float[] small = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            small[i] = Math.max(-100f, Math.min(100f, values[i] * 10));
        }

        for (ElementType target : targets) {
            float[] source = target.isInteger() ? small : values;
            GraphProto graph = GraphProto.newBuilder().setName("cast_" + target)
                    .addNode(node("Constant", List.of(), List.of("c"),
                            tensorAttribute("value", TensorCodec.fromFloats("c", dims, source))))
                    .addNode(node("Cast", List.of("c"), List.of("narrow"), intAttribute("to", target.code())))
                    .addNode(node("Cast", List.of("narrow"), List.of("y"), intAttribute("to", ElementType.FLOAT.code())))
                    .addOutput(tensorInfo("y", ElementType.FLOAT, values.length))
                    .build();
            GraphView view = new GraphView(graph);

            ConstantValue folded = WeightResolver.resolve(view, "y").orElseThrow();
            Map<String, float[]> expected = runWithoutFolding(graph);

            assertThat(folded.producerNodes()).as(target.toString()).containsExactly(0, 1, 2);
            assertThat(TensorCodec.toFloats(folded.tensor())).as(target.toString()).containsExactly(expected.get("y"));
        }
    }

    @Test
    void integerCastWrapsLikeStaticCast() {
        TensorProto source = TensorCodec.fromLongs("s", new long[] {4}, ElementType.INT64, new long[] {300, -129, 127, -1});

        TensorProto int8 = CastFolding.cast(source, ElementType.INT8, "s8");
        TensorProto uint8 = CastFolding.cast(source, ElementType.UINT8, "u8");

        assertThat(TensorCodec.toLongs(int8)).containsExactly(44L, 127L, 127L, -1L);
        assertThat(TensorCodec.toLongs(uint8)).containsExactly(44L, 127L, 127L, 255L);
    }

    @Test
    void outOfRangeCastIsNotFolded() {
        GraphView view = new GraphView(GraphProto.newBuilder()
                .addNode(node("Constant", List.of(), List.of("c"), floats("value_floats", 1f, 300f)))
                .addNode(node("Cast", List.of("c"), List.of("y"), intAttribute("to", ElementType.INT8.code())))
                .build());

        Resolution resolution = WeightResolver.explain(view, "y");

        assertThat(resolution.isConstant()).isFalse();
        assertThat(resolution.reason()).contains("Cast node").contains("Value 300.0").contains("INT8 range");
    }

    @Test
    void halfConversionRoundsToNearestEven() {
        assertThat(CastFolding.floatToHalf(1f)).isEqualTo(0x3C00);
        assertThat(CastFolding.floatToHalf(65504f)).isEqualTo(0x7BFF);
        assertThat(CastFolding.floatToHalf(65520f)).isEqualTo(0x7C00);
        assertThat(CastFolding.floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo(0xFC00);
        assertThat(CastFolding.floatToHalf(0x1p-24f)).isEqualTo(0x0001);
        assertThat(CastFolding.floatToHalf(0x1p-25f)).isEqualTo(0x0000);
        assertThat(CastFolding.floatToHalf(1f + 0x1p-11f)).isEqualTo(0x3C00);
        assertThat(CastFolding.floatToHalf(1f + 0x3p-11f)).isEqualTo(0x3C02);
        assertThat(CastFolding.floatToHalf(Float.NaN) & 0x7C00).isEqualTo(0x7C00);
        assertThat(CastFolding.floatToHalf(Float.NaN) & 0x03FF).isNotZero();
    }

    /** Runs a graph without inputs, so that ONNX Runtime computes the casts with its own kernels. */
    private static Map<String, float[]> runWithoutFolding(GraphProto graph) throws OrtException {
        return OrtRunner.run(ModelFixtures.model(graph, 10, 21).toByteArray());
    }
}
