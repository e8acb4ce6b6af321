package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Infers the element type of every value in one graph scope. Exported models often carry no
 * value_info for intermediate values, and the quantizer must not touch the int64 shape
 * arithmetic around the float tensors (Shape, Gather on shapes, Concat of shape pieces).
 *
 * <p>Known types come first: initializers, graph inputs and outputs, value_info, and the
 * values of the enclosing scopes. Node outputs then follow op rules: Cast gives its {@code to}
 * attribute, Shape and friends give int64, comparisons give bool, QuantizeLinear gives its zero
 * point type, and every other op gives the type of its first typed input. Values whose type
 * cannot be inferred are absent, and the quantizer treats them as not float.
 */
final class ElementTypeInference {

    private static final Set<String> INT64_OUTPUTS = Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin",
            "NonMaxSuppression");
    private static final Set<String> BOOL_OUTPUTS = Set.of("Equal", "Less", "Greater", "LessOrEqual",
            "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf");
    private static final Set<String> INT32_OUTPUTS = Set.of("MatMulInteger", "ConvInteger");

    private ElementTypeInference() {
    }

    static Map<String, ElementType> infer(GraphView view, Map<String, ElementType> outerScope) {
        GraphProto graph = view.graph();
        Map<String, ElementType> types = new HashMap<>(outerScope);
        for (TensorProto initializer : graph.getInitializerList()) {
            types.put(initializer.getName(), ElementType.fromCode(initializer.getDataType()));
        }
        declared(graph.getInputList(), types);
        for (int index : view.topologicalOrder()) {
            NodeProto node = graph.getNode(index);
            for (int output = 0; output < node.getOutputCount(); output++) {
                String name = node.getOutput(output);
                if (!name.isEmpty()) {
                    outputType(node, output, types).ifPresent(type -> types.put(name, type));
                }
            }
        }
        declared(graph.getValueInfoList(), types);
        declared(graph.getOutputList(), types);
        return types;
    }

    private static void declared(Iterable<ValueInfoProto> infos, Map<String, ElementType> types) {
        for (ValueInfoProto info : infos) {
            if (info.getType().hasTensorType() && info.getType().getTensorType().getElemType() != 0) {
                types.put(info.getName(), ElementType.fromCode(info.getType().getTensorType().getElemType()));
            }
        }
    }

    private static Optional<ElementType> outputType(NodeProto node, int output, Map<String, ElementType> types) {
        String op = node.getOpType();
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            return firstInputType(node, types);
        }
        if (INT64_OUTPUTS.contains(op)) {
            return Optional.of(ElementType.INT64);
        }
        if (BOOL_OUTPUTS.contains(op)) {
            return Optional.of(ElementType.BOOL);
        }
        if (INT32_OUTPUTS.contains(op)) {
            return Optional.of(ElementType.INT32);
        }
        return switch (op) {
            case "Constant" -> constantType(node);
            case "Cast" -> intAttribute(node, "to").map(ElementType::fromCode);
            case "CastLike" -> inputType(node, 1, types);
            case "ConstantOfShape" -> Optional.of(attribute(node, "value")
                    .map(value -> ElementType.fromCode(value.getT().getDataType())).orElse(ElementType.FLOAT));
            case "TopK", "MaxPool", "Unique" -> output == 0 ? inputType(node, 0, types) : Optional.of(ElementType.INT64);
            case "Where" -> inputType(node, 1, types);
            case "OneHot" -> inputType(node, 2, types);
            case "QuantizeLinear" -> quantizeLinearType(node, types);
            case "DequantizeLinear" -> inputType(node, 1, types);
            case "DynamicQuantizeLinear" -> Optional.of(output == 1 ? ElementType.FLOAT : ElementType.UINT8);
            case "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "EyeLike" ->
                    intAttribute(node, "dtype").map(ElementType::fromCode).or(() -> op.endsWith("Like")
                            ? inputType(node, 0, types) : Optional.of(ElementType.FLOAT));
            case "If", "Loop", "Scan" -> bodyOutputType(node, output);
            default -> firstInputType(node, types);
        };
    }

    private static Optional<ElementType> constantType(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            switch (attribute.getName()) {
                case "value":
                    return Optional.of(ElementType.fromCode(attribute.getT().getDataType()));
                case "value_float", "value_floats":
                    return Optional.of(ElementType.FLOAT);
                case "value_int", "value_ints":
                    return Optional.of(ElementType.INT64);
                case "value_string", "value_strings":
                    return Optional.of(ElementType.STRING);
                default:
                    break;
            }
        }
        return Optional.empty();
    }

    private static Optional<ElementType> quantizeLinearType(NodeProto node, Map<String, ElementType> types) {
        Optional<ElementType> declared = intAttribute(node, "output_dtype").filter(code -> code != 0)
                .map(ElementType::fromCode);
        if (declared.isPresent()) {
            return declared;
        }
        return node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                ? inputType(node, 2, types) : Optional.of(ElementType.UINT8);
    }

    /** If gives its branch outputs; Loop and Scan give their body outputs after the loop condition. */
    private static Optional<ElementType> bodyOutputType(NodeProto node, int output) {
        String bodyName = node.getOpType().equals("If") ? "then_branch" : "body";
        int bodyOutput = node.getOpType().equals("Loop") ? output + 1 : output;
        return attribute(node, bodyName).filter(AttributeProto::hasG).map(AttributeProto::getG)
                .filter(body -> bodyOutput < body.getOutputCount())
                .map(body -> body.getOutput(bodyOutput).getType())
                .filter(type -> type.hasTensorType() && type.getTensorType().getElemType() != 0)
                .map(type -> ElementType.fromCode(type.getTensorType().getElemType()));
    }

    private static Optional<ElementType> firstInputType(NodeProto node, Map<String, ElementType> types) {
        for (String input : node.getInputList()) {
            ElementType type = types.get(input);
            if (type != null) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static Optional<ElementType> inputType(NodeProto node, int index, Map<String, ElementType> types) {
        return index < node.getInputCount() ? Optional.ofNullable(types.get(node.getInput(index))) : Optional.empty();
    }

    private static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(attribute -> attribute.getName().equals(name)).findFirst();
    }

    private static Optional<Integer> intAttribute(NodeProto node, String name) {
        return attribute(node, name).map(attribute -> (int) attribute.getI());
    }
}
