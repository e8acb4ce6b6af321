package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.BatchNormFolding;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.NameAllocator;
import dev.quantfleet.engine.graph.OpsetConversion;
import dev.quantfleet.engine.graph.OpsetConversionException;
import dev.quantfleet.engine.graph.OpsetConverter;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.quantize.QuantizationResult.OpsetChange;
import dev.quantfleet.engine.quantize.ops.InputRole;
import dev.quantfleet.engine.quantize.ops.OpHandler;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Quantizes an ONNX model: QDQ format (static, from calibrated activation ranges) or Dynamic
 * format (delegated to {@link DynamicQuantizer}). The same model, configuration and ranges give
 * a byte-identical model, because every name derives from the graph's own names in graph order.
 *
 * <p>Opset: per-channel weights need opset 13 (the {@code axis} attribute of
 * QuantizeLinear/DequantizeLinear), 16-bit and 4-bit types need opset 21. A model with a lower
 * opset is raised to what the configuration needs, and the result records the change. A model
 * that the converter cannot raise is rejected with the converter's reason. Otherwise the model
 * keeps its opset and the Q/DQ nodes take that opset's form.
 *
 * <p>When Conv is among the op types to quantize, every selected Conv of the main graph that
 * feeds a BatchNormalization absorbs it first ({@link BatchNormFolding}), so that the Conv's
 * output range, weight scales and bias are those of the normalized values. Each such Conv
 * carries a note in the result.
 *
 * <p>With {@link OperatorForm#ContribFused}, each scope's QDQ form then goes through
 * {@link QdqMatMulFusion}, and the model imports the {@code com.microsoft} domain (version 1) when
 * any node was fused.
 *
 * <p>Where a float MaxPool, Reshape, Transpose, Squeeze, Unsqueeze or Slice carries dequantized
 * values into an If, Loop or Scan body, its output gets a value-preserving
 * QuantizeLinear/DequantizeLinear pair ({@link ImplicitInputRequantization}), because ONNX
 * Runtime 1.29 aborts the process while it optimizes the plain form. This runs last.
 */
public final class QdqQuantizer {

    private static final Set<String> PER_CHANNEL_OP_TYPES = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    private QdqQuantizer() {
    }

    /**
     * Checks that every {@code nodesToExclude} entry and {@code nodeOverrides} name of
     * {@code config} matches a node of {@code model}, so that a caller can reject a misspelt name
     * before calibration; {@link #quantize} runs the same check.
     *
     * @throws QuantizationException naming each entry that matches no node, with the most similar node names
     */
    public static void validateNodeSelection(ModelProto model, QuantConfig config) {
        NodeSelection.of(model, config);
    }

    /**
     * Quantizes {@code model} with the settings of {@code config} and the activation ranges of
     * {@code ranges} (unused in Dynamic format).
     *
     * @throws QuantizationException if a node name or pattern of the configuration matches no node,
     *                               or the opset cannot be raised to what the configuration needs
     */
    public static QuantizationResult quantize(ModelProto model, QuantConfig config, ActivationRanges ranges) {
        NodeSelection selection = NodeSelection.of(model, config);
        Set<String> opTypes = DefaultOpTypes.resolve(model, config);
        if (config.format() == QuantFormat.Dynamic) {
            return DynamicQuantizer.quantize(model, config, selection, opTypes);
        }

        int required = requiredOpset(config, opTypes);
        OpsetChange opsetChange = null;
        Map<String, String> foldedNormalizations = Map.of();
        ModelProto working = model;
        if (opTypes.contains("Conv")) {
            BatchNormFolding.Outcome folding = BatchNormFolding.fold(model,
                    conv -> selection.exclusionReason(conv.getName()).isEmpty());
            working = folding.model();
            foldedNormalizations = folding.normalizationsByOutput();
        }

        long current = defaultOpset(working);
        if (current < required) {
            OpsetConversion conversion = raiseOpset(working, required, "per-channel weights need opset 13, "
                    + "16-bit and 4-bit types need opset 21");
            working = conversion.model();
            opsetChange = new OpsetChange(conversion.fromVersion(), conversion.toVersion(),
                    conversion.rewrittenNodesByOpType());
        }

        ResultCollector result = new ResultCollector();
        QuantizationSession session = new QuantizationSession(working.getIrVersion(), config, ranges, opTypes, selection,
                NameAllocator.of(working), new QdqNodes((int) defaultOpset(working)), OpRegistry.standard(), result,
                foldedNormalizations);
        ModelProto quantized = working.toBuilder()
                .setGraph(new ScopeRewriter(session, working.getGraph(), ScopeRewriter.MAIN_SCOPE, Map.of()).rewrite())
                .build();
        quantized = ImplicitInputRequantization.apply(quantized).model();
        if (result.contribOperatorCount > 0) {
            quantized = QdqNodes.importMicrosoftDomain(quantized);
        }
        return new QuantizationResult(quantized, summary(config.format(), opTypes, result, opsetChange));
    }

    static QuantizationResult.Summary summary(QuantFormat format, Set<String> opTypes, ResultCollector result,
                                              OpsetChange opsetChange) {
        return new QuantizationResult.Summary(format, List.copyOf(opTypes), result.quantized, result.excluded,
                result.skipped, result.skippedSubgraphs, result.quantizedWeightCount, result.quantizedBiasCount,
                result.quantizedActivationCount, result.removedFloatConstantCount, opsetChange);
    }

    /**
     * Lists the float activations of the main graph that any QDQ configuration may need a range
     * for: the non-constant activation inputs of every op type the quantizer supports, and the
     * outputs that take their own calibrated range, in graph order. Nodes inside If, Loop and
     * Scan bodies contribute the main-graph values they read. Values defined inside a body are
     * not listed, because ONNX Runtime cannot expose them as outputs. The list is made on the
     * model with every Conv and BatchNormalization pair folded, as the quantizer folds them, so
     * a folded Conv's output range is that of the normalization output, a value of the input
     * model. One calibration pass over these tensors serves every candidate configuration.
     */
    public static List<String> tensorsToCalibrate(ModelProto model) {
        ModelProto folded = BatchNormFolding.fold(model).model();
        GraphView view = new GraphView(folded.getGraph());
        Map<String, ElementType> types = ElementTypeInference.infer(view, Map.of());
        Set<String> candidates = new LinkedHashSet<>();
        collectCandidates(view, types, folded.getIrVersion(), candidates);
        List<String> tensors = new ArrayList<>();
        for (String candidate : candidates) {
            boolean mainGraphValue = view.producer(candidate).isPresent() || view.isGraphInput(candidate);
            if (mainGraphValue && isFloat(types, candidate)
                    && WeightResolver.resolve(view, candidate, model.getIrVersion()).isEmpty()) {
                tensors.add(candidate);
            }
        }
        return tensors;
    }

    private static void collectCandidates(GraphView view, Map<String, ElementType> types, long irVersion,
                                          Set<String> candidates) {
        for (int index : view.topologicalOrder()) {
            NodeProto node = view.node(index);
            for (AttributeProto attribute : node.getAttributeList()) {
                List<GraphProto> bodies = new ArrayList<>(attribute.getGraphsList());
                if (attribute.hasG()) {
                    bodies.add(attribute.getG());
                }
                for (GraphProto body : bodies) {
                    GraphView bodyView = new GraphView(body);
                    collectCandidates(bodyView, ElementTypeInference.infer(bodyView, types), irVersion, candidates);
                }
            }
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                continue;
            }
            OpHandler handler = OpRegistry.standard().handler(node.getOpType()).orElse(null);
            if (handler == null) {
                continue;
            }
            for (int input = 0; input < node.getInputCount(); input++) {
                if (handler.inputRole(node, input) == InputRole.ACTIVATION && !node.getInput(input).isEmpty()) {
                    candidates.add(node.getInput(input));
                }
            }
            for (int output = 0; output < node.getOutputCount(); output++) {
                if (handler.calibratesOutput(node, output) && !node.getOutput(output).isEmpty()) {
                    candidates.add(node.getOutput(output));
                }
            }
        }
    }

    private static boolean isFloat(Map<String, ElementType> types, String value) {
        return !value.isEmpty() && types.get(value) == ElementType.FLOAT;
    }

    /**
     * Opset the configuration needs: 11 for any Q/DQ, 13 for per-channel weights, 21 for 16-bit or
     * 4-bit types. QuantizeLinear exists from opset 10, but at opset 10 ONNX Runtime 1.29's
     * MatMul + Add fusion of a per-tensor quantized MatMul with a bias inserts a Round node, which
     * exists only from opset 11, and the session fails to load; so QDQ models are written at 11.
     */
    static int requiredOpset(QuantConfig config, Set<String> opTypes) {
        int required = QdqNodes.ORT_LOADABLE_QDQ_OPSET;
        if (config.perChannel() && opTypes.stream().anyMatch(PER_CHANNEL_OP_TYPES::contains)) {
            required = QdqNodes.PER_CHANNEL_OPSET;
        }
        List<QuantType> types = new ArrayList<>(List.of(config.activationType(), config.weightType()));
        for (NodeOverride override : config.nodeOverrides().values()) {
            if (override.activationType() != null) {
                types.add(override.activationType());
            }
            if (override.weightType() != null) {
                types.add(override.weightType());
            }
        }
        if (types.stream().anyMatch(type -> type.bits() != 8)) {
            required = QdqNodes.WIDE_AND_4BIT_OPSET;
        }
        return required;
    }

    /**
     * Raises the default-domain opset to {@code target}.
     *
     * @throws QuantizationException with the converter's reasons when the model cannot be raised
     */
    static OpsetConversion raiseOpset(ModelProto model, int target, String reason) {
        try {
            return OpsetConverter.convert(model, target);
        } catch (OpsetConversionException e) {
            throw new QuantizationException("The configuration needs opset " + target + " (" + reason
                    + "), but " + e.getMessage() + "; choose a configuration that the model's opset "
                    + defaultOpset(model) + " supports (per-tensor 8-bit needs opset 10)", e);
        }
    }

    /** Version of the default ONNX domain the model imports. */
    static long defaultOpset(ModelProto model) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
                return opset.getVersion();
            }
        }
        throw new QuantizationException("Model imports no default-domain opset; it is not a valid ONNX model");
    }
}
