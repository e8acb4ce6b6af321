package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One graph or function body during an opset conversion. It hands out names, keeps the
 * constants that rewrites add, and looks up the type, rank and readers of the values of the
 * original body. In a graph, new constants become initializers; in a function, which
 * has no initializers, they become Constant nodes placed before the rewritten node.
 */
final class RewriteScope {

    /** Ops whose first output has the element type of their first input. */
    private static final Set<String> TYPE_PRESERVING_OPS = Set.of(
            "Abs", "Add", "AveragePool", "BatchNormalization", "Ceil", "Clip", "Concat", "Conv", "ConvTranspose",
            "DepthToSpace", "Div", "Dropout", "Elu", "Erf", "Exp", "Expand", "Flatten", "Floor", "Gather",
            "GatherElements", "GatherND", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish",
            "Hardmax", "Identity", "InstanceNormalization", "LRN", "LayerNormalization", "LeakyRelu", "Log",
            "LogSoftmax", "MatMul", "Max", "MaxPool", "Mean", "Min", "Mul", "Neg", "PRelu", "Pad", "Pow",
            "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean",
            "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize", "Selu",
            "Sigmoid", "Sign", "Slice", "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Split", "Sqrt",
            "Squeeze", "Sub", "Sum", "Tanh", "Tile", "TopK", "Transpose", "Unsqueeze", "Upsample");

    private final GraphView view;
    private final boolean function;
    private final NameAllocator names;
    private final long targetVersion;
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private final List<NodeProto> pendingConstantNodes = new ArrayList<>();
    private final Map<String, TensorProto> newConstants = new HashMap<>();
    private final Set<String> removedValues = new LinkedHashSet<>();

    RewriteScope(GraphView view, boolean function, NameAllocator names, long targetVersion) {
        this.view = view;
        this.function = function;
        this.names = names;
        this.targetVersion = targetVersion;
    }

    long targetVersion() {
        return targetVersion;
    }

    /** Allocates a name that no scope of the model uses yet. */
    String allocate(String base) {
        return names.allocate(base);
    }

    /** Adds {@code tensor} under a fresh name derived from {@code base} and returns that name. */
    String addConstant(String base, TensorProto tensor) {
        String name = names.allocate(base);
        TensorProto named = tensor.toBuilder().setName(name).build();
        newConstants.put(name, named);
        if (function) {
            pendingConstantNodes.add(NodeProto.newBuilder()
                    .setOpType("Constant")
                    .setName(names.allocate(name + "_constant"))
                    .addOutput(name)
                    .addAttribute(AttributeProto.newBuilder()
                            .setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(named))
                    .build());
        } else {
            newInitializers.add(named);
        }
        return name;
    }

    /** Adds a 1-D int64 constant, as axes, pads, starts and split inputs need. */
    String addInt64s(String base, List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        return addConstant(base, TensorCodec.fromLongs(base, new long[] {array.length}, ElementType.INT64, array));
    }

    /** Adds a scalar of {@code type} holding {@code value}, rounded as a Cast to that type would. */
    String addScalar(String base, ElementType type, float value) {
        TensorProto single = TensorCodec.fromFloats(base, new long[0], new float[] {value});
        return addConstant(base, type == ElementType.FLOAT ? single : CastFolding.cast(single, type, base));
    }

    List<TensorProto> newInitializers() {
        return newInitializers;
    }

    /** Returns the Constant nodes added since the last call and clears them (function bodies only). */
    List<NodeProto> drainConstantNodes() {
        List<NodeProto> drained = List.copyOf(pendingConstantNodes);
        pendingConstantNodes.clear();
        return drained;
    }

    /** Records that a rewrite removed {@code value}, so that its value_info goes too. */
    void markRemoved(String value) {
        removedValues.add(value);
    }

    Set<String> removedValues() {
        return removedValues;
    }

    /** Returns whether a node, a subgraph or the scope's outputs read {@code value}. */
    boolean isUsed(String value) {
        return !view.consumers(value).isEmpty() || view.isGraphOutput(value);
    }

    /** Returns the constant behind {@code value}, added by this conversion or defined by the original body. */
    Optional<TensorProto> constant(String value) {
        TensorProto added = newConstants.get(value);
        if (added != null) {
            return Optional.of(added);
        }
        return WeightResolver.resolve(view, value).map(WeightResolver.ConstantValue::tensor);
    }

    /**
     * Infers the element type of {@code value} from its type information, from the initializer or
     * Constant that defines it, or by following type-preserving producers back to a known type.
     */
    Optional<ElementType> elementType(String value) {
        // NOTE: values that a subgraph reads from an outer scope have no type here, so rewrites
        // that need one (Clip and Pad bounds) reject such nodes.
        String current = value;
        for (int step = 0; step < 512 && !current.isEmpty(); step++) {
            Optional<ElementType> declared = declaredElementType(current);
            if (declared.isPresent()) {
                return declared;
            }
            Optional<Integer> producer = view.producer(current);
            if (producer.isEmpty()) {
                return Optional.empty();
            }
            NodeProto node = view.node(producer.get());
            if (!WeightResolver.isDefaultDomain(node)) {
                return Optional.empty();
            }
            switch (node.getOpType()) {
                case "Cast" -> {
                    return OpsetRewrites.intAttribute(node, "to").map(code -> ElementType.fromCode(code.intValue()));
                }
                case "Constant" -> {
                    return WeightResolver.resolve(view, current).map(WeightResolver.ConstantValue::elementType);
                }
                case "Where" -> current = node.getInputCount() > 1 ? node.getInput(1) : "";
                default -> {
                    if (!TYPE_PRESERVING_OPS.contains(node.getOpType()) || node.getInputCount() == 0) {
                        return Optional.empty();
                    }
                    current = node.getInput(0);
                }
            }
        }
        return Optional.empty();
    }

    /** Returns the rank of {@code value} when its shape is recorded, else empty. */
    OptionalInt rank(String value) {
        Optional<ValueInfoProto> info = view.valueInfo(value);
        if (info.isPresent() && info.get().getType().hasTensorType()
                && info.get().getType().getTensorType().hasShape()) {
            return OptionalInt.of(info.get().getType().getTensorType().getShape().getDimCount());
        }
        Optional<TensorProto> initializer = view.initializer(value);
        return initializer.map(tensor -> OptionalInt.of(tensor.getDimsCount())).orElse(OptionalInt.empty());
    }

    private Optional<ElementType> declaredElementType(String value) {
        Optional<ValueInfoProto> info = view.valueInfo(value);
        if (info.isPresent()) {
            TypeProto type = info.get().getType();
            if (type.hasTensorType() && type.getTensorType().getElemType() != 0) {
                return Optional.of(ElementType.fromCode(type.getTensorType().getElemType()));
            }
        }
        return view.initializer(value).map(TensorCodec::elementType);
    }
}
