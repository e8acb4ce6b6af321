package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.List;

/**
 * Builds the nodes and parameter tensors the quantizers insert, checking each against the ONNX
 * operator schema at the model's opset before it is built: input count, attributes that exist
 * at that opset ({@code axis} of QuantizeLinear/DequantizeLinear from opset 13), and element
 * types (16-bit and 4-bit QuantizeLinear/DequantizeLinear from opset 21, DynamicQuantizeLinear
 * from 11). A violation raises {@link QuantizationException} naming the op and the node.
 */
final class QdqNodes {

    static final int MIN_QDQ_OPSET = 10;
    /** The lowest opset that QdqQuantizer writes QDQ models at; see {@code QdqQuantizer.requiredOpset}. */
    static final int ORT_LOADABLE_QDQ_OPSET = 11;
    static final int PER_CHANNEL_OPSET = 13;
    static final int WIDE_AND_4BIT_OPSET = 21;
    static final int DYNAMIC_QUANTIZE_OPSET = 11;
    /** Domain of ONNX Runtime's contrib operators, imported at version {@value #MICROSOFT_DOMAIN_VERSION}. */
    static final String MICROSOFT_DOMAIN = "com.microsoft";
    static final int MICROSOFT_DOMAIN_VERSION = 1;

    private final int opset;

    QdqNodes(int opset) {
        this.opset = opset;
    }

    int opset() {
        return opset;
    }

    /** QuantizeLinear(input, scale, zeroPoint) with the axis of per-channel parameters. */
    NodeProto quantizeLinear(String name, String input, String scale, String zeroPoint, String output,
                             QuantParameters parameters) {
        checkQdq("QuantizeLinear", name, parameters.type(), parameters.isPerChannel());
        return node("QuantizeLinear", name, List.of(input, scale, zeroPoint), List.of(output),
                parameters.isPerChannel() ? axis(parameters.axis()) : null);
    }

    /** DequantizeLinear(input, scale, zeroPoint); {@code axis} is {@link QuantParameters#PER_TENSOR} for one scale. */
    NodeProto dequantizeLinear(String name, String input, String scale, String zeroPoint, String output,
                               ElementType inputType, int axis) {
        boolean perChannel = axis != QuantParameters.PER_TENSOR;
        if (inputType != ElementType.INT32) {
            checkQdq("DequantizeLinear", name, inputType, perChannel);
        } else {
            requireOpset("DequantizeLinear", name, MIN_QDQ_OPSET, "exists");
            if (perChannel) {
                requireOpset("DequantizeLinear", name, PER_CHANNEL_OPSET, "takes the axis attribute (per channel)");
            }
        }
        return node("DequantizeLinear", name, List.of(input, scale, zeroPoint), List.of(output),
                perChannel ? axis(axis) : null);
    }

    NodeProto dynamicQuantizeLinear(String name, String input, String quantized, String scale, String zeroPoint) {
        requireOpset("DynamicQuantizeLinear", name, DYNAMIC_QUANTIZE_OPSET, "exists");
        return node("DynamicQuantizeLinear", name, List.of(input), List.of(quantized, scale, zeroPoint), null);
    }

    NodeProto matMulInteger(String name, String a, String b, String aZeroPoint, String bZeroPoint, String output) {
        requireOpset("MatMulInteger", name, MIN_QDQ_OPSET, "exists");
        return node("MatMulInteger", name, List.of(a, b, aZeroPoint, bZeroPoint), List.of(output), null);
    }

    /**
     * {@code com.microsoft} MatMulIntegerToFloat:
     * {@code Y = (A - aZeroPoint) * aScale x (B - bZeroPoint) * bScale + bias}, with per-column
     * {@code bScale} and {@code bZeroPoint} allowed.
     */
    NodeProto matMulIntegerToFloat(String name, String a, String b, String aScale, String bScale, String aZeroPoint,
                                   String bZeroPoint, String bias, String output) {
        return node("MatMulIntegerToFloat", name, List.of(a, b, aScale, bScale, aZeroPoint, bZeroPoint, bias),
                List.of(output), null).toBuilder().setDomain(MICROSOFT_DOMAIN).build();
    }

    /** {@code com.microsoft} DynamicQuantizeMatMul: quantizes float A to uint8 at run time, then as MatMulIntegerToFloat. */
    NodeProto dynamicQuantizeMatMul(String name, String a, String b, String bScale, String bZeroPoint, String bias,
                                    String output) {
        return node("DynamicQuantizeMatMul", name, List.of(a, b, bScale, bZeroPoint, bias), List.of(output), null)
                .toBuilder().setDomain(MICROSOFT_DOMAIN).build();
    }

    /** Returns {@code model} importing the {@code com.microsoft} domain, adding the import when it is missing. */
    static ModelProto importMicrosoftDomain(ModelProto model) {
        boolean imported = model.getOpsetImportList().stream()
                .anyMatch(opset -> opset.getDomain().equals(MICROSOFT_DOMAIN));
        if (imported) {
            return model;
        }
        return model.toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT_DOMAIN)
                .setVersion(MICROSOFT_DOMAIN_VERSION)).build();
    }

    NodeProto cast(String name, String input, String output, ElementType to) {
        AttributeProto toAttribute = AttributeProto.newBuilder().setName("to")
                .setType(AttributeProto.AttributeType.INT).setI(to.code()).build();
        return node("Cast", name, List.of(input), List.of(output), toAttribute);
    }

    NodeProto mul(String name, String a, String b, String output) {
        return node("Mul", name, List.of(a, b), List.of(output), null);
    }

    /** Builds the scale tensor: a scalar for per-tensor parameters, else 1-D with one scale per channel. */
    static TensorProto scaleTensor(String name, QuantParameters parameters) {
        return TensorCodec.fromFloats(name, parameterDims(parameters), parameters.scales());
    }

    /** Builds the zero point tensor, of the quantized type and shaped like {@link #scaleTensor}. */
    static TensorProto zeroPointTensor(String name, QuantParameters parameters) {
        return TensorCodec.fromLongs(name, parameterDims(parameters), parameters.type(), parameters.zeroPoints());
    }

    private static long[] parameterDims(QuantParameters parameters) {
        return parameters.isPerChannel() ? new long[] {parameters.channelCount()} : new long[0];
    }

    private void checkQdq(String opType, String name, ElementType type, boolean perChannel) {
        requireOpset(opType, name, MIN_QDQ_OPSET, "exists");
        if (!type.isQuantizedInteger()) {
            throw new QuantizationException("Cannot build " + opType + " node '" + name + "': element type " + type
                    + " is not a quantized integer type");
        }
        if (type.bits() != 8) {
            requireOpset(opType, name, WIDE_AND_4BIT_OPSET, "takes " + type + " values");
        }
        if (perChannel) {
            requireOpset(opType, name, PER_CHANNEL_OPSET, "takes the axis attribute (per channel)");
        }
    }

    private void requireOpset(String opType, String name, int required, String capability) {
        if (opset < required) {
            throw new QuantizationException("Cannot build " + opType + " node '" + name + "': " + opType + " " + capability
                    + " only from opset " + required + ", but the model has opset " + opset
                    + "; raise the model's opset or change the quantization config");
        }
    }

    private static AttributeProto axis(int axis) {
        return AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis).build();
    }

    private static NodeProto node(String opType, String name, List<String> inputs, List<String> outputs,
                                  AttributeProto attribute) {
        if (name.isEmpty() || inputs.stream().anyMatch(String::isEmpty) || outputs.stream().anyMatch(String::isEmpty)) {
            throw new QuantizationException("Cannot build " + opType + " node '" + name + "': node, input and output "
                    + "names must not be empty (inputs " + inputs + ", outputs " + outputs + ")");
        }
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs)
                .addAllOutput(outputs);
        if (attribute != null) {
            node.addAttribute(attribute);
        }
        return node.build();
    }
}
