package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.Range;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.ops.ConstantTensor;
import dev.quantfleet.engine.quantize.ops.NodeContext;
import dev.quantfleet.engine.quantize.ops.NodeQuantization;
import dev.quantfleet.engine.quantize.ops.NodeSkippedException;
import dev.quantfleet.engine.quantize.ops.OpHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites one graph scope (the main graph or one If/Loop/Scan body) into QDQ form: plans every
 * selected node in topological order through its {@link OpHandler}, then writes the planned
 * QuantizeLinear/DequantizeLinear nodes and quantized tensors, and recurses into subgraphs.
 *
 * <p>An activation read by quantized nodes gets one pair per integer type, and only the quantized
 * readers are rewired to it; float readers keep the original value:
 * <pre>
 *  before:                      after:
 *   X ──┬── MatMul                X ─┬─ Q ─ X_quantized ─ DQ ─ X_dequantized ── MatMul
 *       └── Sub (float)              └── Sub
 * </pre>
 * An output that its own node quantizes (Conv, Add, pools ...) is renamed, and the
 * DequantizeLinear writes the original name, so every reader, subgraphs included, reads the
 * quantized value, as ONNX Runtime needs to fuse the node with its QuantizeLinear. Graph outputs
 * stay float:
 * <pre>
 *  before:               after:
 *   Conv ─ Y ─ Relu       Conv ─ Y_float ─ Q ─ Y_quantized ─ DQ ─ Y ─ Relu
 * </pre>
 * A weight is stored quantized once per distinct parameters and read through one shared
 * DequantizeLinear; a float weight that nothing reads any more is removed afterwards (see
 * {@link DeadConstantRemoval}).
 */
final class ScopeRewriter {

    /** Ops whose outputs hold only values of their data input (input 0), so they keep its range. */
    private static final Set<String> VALUE_PRESERVING_OPS = Set.of("Reshape", "Flatten", "Transpose", "Squeeze",
            "Unsqueeze", "Identity", "Expand", "Tile", "Slice", "Split", "Gather", "DepthToSpace", "SpaceToDepth",
            "MaxPool");
    private static final int MAX_RANGE_INHERITANCE_DEPTH = 16;

    /** Scope label of the main graph. */
    static final String MAIN_SCOPE = "main";

    private final QuantizationSession session;
    private final GraphProto graph;
    private final String scope;
    private final GraphView view;
    private final Map<String, ElementType> types;

    private final Map<ActivationKey, ActivationQdq> activations = new LinkedHashMap<>();
    private final Map<WeightKey, WeightDq> weights = new LinkedHashMap<>();
    private final Map<QuantParameters, String[]> activationParameterTensors = new HashMap<>();
    private final Map<Integer, Map<Integer, String>> inputRewires = new HashMap<>();
    private final Map<Integer, Map<Integer, String>> outputRenames = new HashMap<>();
    private final Map<Integer, List<NodeProto>> nodesBefore = new HashMap<>();
    private final Map<Integer, List<NodeProto>> nodesAfter = new HashMap<>();
    private final Map<Integer, List<WeightDq>> weightsBefore = new HashMap<>();
    private final Map<Integer, List<ActivationQdq>> activationsBefore = new HashMap<>();
    private final Map<Integer, NodeProto> rewrittenBodies = new HashMap<>();
    private final Map<Integer, NodeProto> quantizedNodes = new TreeMap<>();
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private final List<ConstantTensor> replacedConstants = new ArrayList<>();

    private record ActivationKey(String tensor, ElementType type) {
    }

    private record WeightKey(String value, QuantParameters parameters) {
    }

    /** The QuantizeLinear/DequantizeLinear pair of one activation at one integer type. */
    private static final class ActivationQdq {
        final QuantParameters parameters;
        final boolean outputSide;
        final String input;
        final String dequantized;
        final List<NodeProto> nodes;
        boolean emitted;

        ActivationQdq(QuantParameters parameters, boolean outputSide, String input, String dequantized,
                      List<NodeProto> nodes) {
            this.parameters = parameters;
            this.outputSide = outputSide;
            this.input = input;
            this.dequantized = dequantized;
            this.nodes = nodes;
        }
    }

    /** A weight stored quantized, with its DequantizeLinear created when a reader needs it. */
    private static final class WeightDq {
        final String quantized;
        final String scale;
        final String zeroPoint;
        final QuantParameters parameters;
        String dequantized;
        NodeProto dequantizeNode;
        boolean emitted;

        WeightDq(String quantized, String scale, String zeroPoint, QuantParameters parameters) {
            this.quantized = quantized;
            this.scale = scale;
            this.zeroPoint = zeroPoint;
            this.parameters = parameters;
        }
    }

    ScopeRewriter(QuantizationSession session, GraphProto graph, String scope, Map<String, ElementType> outerTypes) {
        this.session = session;
        this.graph = graph;
        this.scope = scope;
        this.view = new GraphView(graph);
        this.types = ElementTypeInference.infer(view, outerTypes);
    }

    GraphProto rewrite() {
        List<Integer> order = view.topologicalOrder();
        for (int index : order) {
            rewriteSubgraphs(index);
            planNode(index);
        }
        GraphProto rewritten = build(order);
        if (session.config().operatorForm() == OperatorForm.ContribFused) {
            rewritten = QdqMatMulFusion.fuse(session, scope, rewritten, quantizedNodes);
        }
        DeadConstantRemoval.Outcome removal = DeadConstantRemoval.remove(rewritten, replacedConstants, graph);
        session.result().removedFloatConstantCount += removal.removedCount();
        return removal.graph();
    }

    private void rewriteSubgraphs(int index) {
        SubgraphBodies.rewrite(graph.getNode(index), scope, this::rewriteBody)
                .ifPresent(node -> rewrittenBodies.put(index, node));
    }

    private GraphProto rewriteBody(GraphProto body, String bodyScope) {
        try {
            return new ScopeRewriter(session, body, bodyScope, types).rewrite();
        } catch (QuantizationException | IllegalArgumentException | IllegalStateException e) {
            session.result().skippedSubgraph(bodyScope, e.getMessage());
            return body;
        }
    }

    private void planNode(int index) {
        NodeProto node = graph.getNode(index);
        boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
        if (!defaultDomain || !session.opTypes().contains(node.getOpType())) {
            return;
        }

        Optional<String> exclusion = session.selection().exclusionReason(node.getName());
        // NOTE: ONNX Runtime (1.29, EXTENDED_OPT and above) quantizes the weight of a float Conv,
        // ConvTranspose or Gemm itself, per tensor to int8, when the node's input comes from a
        // DequantizeLinear and its only reader is a QuantizeLinear (WeightBiasQuantization). An
        // excluded or skipped node there does not run in float. On PP-OCRv4 with every op type
        // but Conv, that cut the per-frame cosine from 0.95 (NO_OPT) to 0.81 (ALL_OPT).
        if (exclusion.isPresent()) {
            session.result().excluded(scope, index, node, "excluded by " + exclusion.get());
            return;
        }
        Optional<OpHandler> handler = session.registry().handler(node.getOpType());
        if (handler.isEmpty()) {
            session.result().skipped(scope, index, node, "op type " + node.getOpType() + " has no QDQ handler");
            return;
        }
        NodeQuantization plan;
        try {
            plan = handler.get().plan(new Context(node));
        } catch (NodeSkippedException e) {
            session.result().skipped(scope, index, node, e.getMessage());
            return;
        }
        List<String> notes = register(index, node, plan);
        String normalization = scope.equals(MAIN_SCOPE) && node.getOutputCount() > 0
                ? session.foldedNormalizations().get(node.getOutput(0)) : null;
        if (normalization != null) {
            notes.add(0, "folded BatchNormalization '" + normalization + "' into the weight and bias");
        }
        session.result().quantized(scope, index, node, plan.elementTypes(), notes);
        quantizedNodes.put(index, node);
    }

    /** Records the plan's edits; returns the plan's notes plus any part the rewriter left in float. */
    private List<String> register(int index, NodeProto node, NodeQuantization plan) {
        List<String> notes = new ArrayList<>(plan.notes());
        for (NodeQuantization.ActivationInput input : plan.activations()) {
            ActivationQdq qdq = inputActivation(node.getInput(input.inputIndex()), input.parameters());
            if (!qdq.outputSide) {
                rewire(index, input.inputIndex(), qdq.dequantized);
                activationsBefore.computeIfAbsent(index, key -> new ArrayList<>()).add(qdq);
            }
        }
        for (NodeQuantization.WeightInput weight : plan.weights()) {
            WeightDq dq = weight(weight.weight(), weight.parameters());
            ensureDequantizeNode(dq, weight.weight().value());
            rewire(index, weight.inputIndex(), dq.dequantized);
            weightsBefore.computeIfAbsent(index, key -> new ArrayList<>()).add(dq);
        }
        for (NodeQuantization.BiasInput bias : plan.biases()) {
            rewire(index, bias.inputIndex(), bias(index, bias));
        }
        for (NodeQuantization.QuantizedOutput output : plan.outputs()) {
            String tensor = node.getOutput(output.outputIndex());
            if (view.isGraphOutput(tensor)) {
                notes.add("output '" + tensor + "' left in float: it is a graph output, and rounding it would "
                        + "only add error");
            } else {
                outputActivation(index, node, output);
            }
        }
        plan.embedding().ifPresent(table -> embedding(index, node, table));
        return notes;
    }

    private void rewire(int index, int inputIndex, String value) {
        inputRewires.computeIfAbsent(index, key -> new HashMap<>()).put(inputIndex, value);
    }

    private ActivationQdq inputActivation(String tensor, QuantParameters parameters) {
        ActivationKey key = new ActivationKey(tensor, parameters.type());
        ActivationQdq existing = activations.get(key);
        if (existing != null) {
            if (!existing.parameters.equals(parameters)) {
                throw new IllegalStateException("Activation '" + tensor + "' was planned with " + existing.parameters
                        + " and again with " + parameters);
            }
            return existing;
        }
        String quantized = session.names().allocate(tensor + "_quantized");
        String dequantized = session.names().allocate(tensor + "_dequantized");
        List<NodeProto> nodes = qdqPair(tensor, tensor, quantized, dequantized, parameters);
        ActivationQdq qdq = new ActivationQdq(parameters, false, tensor, dequantized, nodes);
        activations.put(key, qdq);
        session.result().quantizedActivationCount++;
        return qdq;
    }

    private void outputActivation(int index, NodeProto node, NodeQuantization.QuantizedOutput output) {
        String tensor = node.getOutput(output.outputIndex());
        QuantParameters parameters = output.parameters();
        ActivationKey key = new ActivationKey(tensor, parameters.type());
        if (activations.containsKey(key)) {
            throw new IllegalStateException("Output '" + tensor + "' of node '" + node.getName()
                    + "' was quantized before its producer was planned");
        }
        String floatValue = session.names().allocate(tensor + "_float");
        String quantized = session.names().allocate(tensor + "_quantized");
        List<NodeProto> nodes = qdqPair(tensor, floatValue, quantized, tensor, parameters);
        ActivationQdq qdq = new ActivationQdq(parameters, true, floatValue, tensor, nodes);
        activations.put(key, qdq);
        outputRenames.computeIfAbsent(index, k -> new HashMap<>()).put(output.outputIndex(), floatValue);
        nodesAfter.computeIfAbsent(index, k -> new ArrayList<>()).addAll(nodes);
        qdq.emitted = true;
        session.result().quantizedActivationCount++;
    }

    /**
     * Builds a QuantizeLinear/DequantizeLinear pair. Activations with equal parameters (an op's
     * output that shares its input's scale) share one scale and one zero point initializer.
     */
    private List<NodeProto> qdqPair(String tensor, String input, String quantized, String dequantized,
                                    QuantParameters parameters) {
        String[] parameterTensors = activationParameterTensors.computeIfAbsent(parameters, key -> {
            String scaleName = session.names().allocate(tensor + "_scale");
            String zeroPointName = session.names().allocate(tensor + "_zero_point");
            newInitializers.add(QdqNodes.scaleTensor(scaleName, parameters));
            newInitializers.add(QdqNodes.zeroPointTensor(zeroPointName, parameters));
            return new String[] {scaleName, zeroPointName};
        });
        String scale = parameterTensors[0];
        String zeroPoint = parameterTensors[1];
        NodeProto quantize = session.nodes().quantizeLinear(session.names().allocate(tensor + "_QuantizeLinear"),
                input, scale, zeroPoint, quantized, parameters);
        NodeProto dequantize = session.nodes().dequantizeLinear(session.names().allocate(tensor + "_DequantizeLinear"),
                quantized, scale, zeroPoint, dequantized, parameters.type(), parameters.axis());
        return List.of(quantize, dequantize);
    }

    private WeightDq weight(ConstantTensor weight, QuantParameters parameters) {
        WeightKey key = new WeightKey(weight.value(), parameters);
        WeightDq existing = weights.get(key);
        if (existing != null) {
            return existing;
        }
        String value = weight.value();
        String quantized = session.names().allocate(value + "_quantized");
        String scale = session.names().allocate(value + "_scale");
        String zeroPoint = session.names().allocate(value + "_zero_point");
        long[] values = QuantMath.quantize(weight.floats(), weight.dims(), parameters);
        newInitializers.add(TensorCodec.fromLongs(quantized, weight.dims(), parameters.type(), values));
        newInitializers.add(QdqNodes.scaleTensor(scale, parameters));
        newInitializers.add(QdqNodes.zeroPointTensor(zeroPoint, parameters));
        WeightDq dq = new WeightDq(quantized, scale, zeroPoint, parameters);
        weights.put(key, dq);
        replacedConstants.add(weight);
        session.result().quantizedWeightCount++;
        return dq;
    }

    private void ensureDequantizeNode(WeightDq dq, String value) {
        if (dq.dequantizeNode != null) {
            return;
        }
        dq.dequantized = session.names().allocate(value + "_dequantized");
        dq.dequantizeNode = session.nodes().dequantizeLinear(session.names().allocate(value + "_DequantizeLinear"),
                dq.quantized, dq.scale, dq.zeroPoint, dq.dequantized, dq.parameters.type(), dq.parameters.axis());
    }

    private String bias(int index, NodeQuantization.BiasInput bias) {
        String value = bias.bias().value();
        String quantized = session.names().allocate(value + "_quantized");
        String scale = session.names().allocate(value + "_scale");
        String zeroPoint = session.names().allocate(value + "_zero_point");
        String dequantized = session.names().allocate(value + "_dequantized");
        long[] dims = bias.bias().dims();
        long[] parameterDims = bias.isPerChannel() ? new long[] {bias.scales().length} : new long[0];
        newInitializers.add(TensorCodec.fromLongs(quantized, dims, ElementType.INT32, bias.values()));
        newInitializers.add(TensorCodec.fromFloats(scale, parameterDims, bias.scales()));
        newInitializers.add(TensorCodec.fromLongs(zeroPoint, parameterDims, ElementType.INT32,
                new long[bias.scales().length]));
        int axis = bias.isPerChannel() ? 0 : QuantParameters.PER_TENSOR;
        NodeProto dequantize = session.nodes().dequantizeLinear(session.names().allocate(value + "_DequantizeLinear"),
                quantized, scale, zeroPoint, dequantized, ElementType.INT32, axis);
        nodesBefore.computeIfAbsent(index, key -> new ArrayList<>()).add(dequantize);
        replacedConstants.add(bias.bias());
        session.result().quantizedBiasCount++;
        return dequantized;
    }

    /** Gather on the quantized table, then DequantizeLinear of the gathered rows into the original output name. */
    private void embedding(int index, NodeProto node, NodeQuantization.WeightInput table) {
        WeightDq dq = weight(table.weight(), table.parameters());
        rewire(index, 0, dq.quantized);
        String output = node.getOutput(0);
        String gathered = session.names().allocate(output + "_quantized");
        outputRenames.computeIfAbsent(index, key -> new HashMap<>()).put(0, gathered);
        NodeProto dequantize = session.nodes().dequantizeLinear(session.names().allocate(output + "_DequantizeLinear"),
                gathered, dq.scale, dq.zeroPoint, output, dq.parameters.type(), dq.parameters.axis());
        nodesAfter.computeIfAbsent(index, key -> new ArrayList<>()).add(dequantize);
    }

    private GraphProto build(List<Integer> order) {
        GraphProto.Builder builder = graph.toBuilder().clearNode();
        for (int index : order) {
            for (WeightDq dq : weightsBefore.getOrDefault(index, List.of())) {
                if (!dq.emitted) {
                    builder.addNode(dq.dequantizeNode);
                    dq.emitted = true;
                }
            }
            for (ActivationQdq qdq : activationsBefore.getOrDefault(index, List.of())) {
                if (!qdq.emitted) {
                    builder.addAllNode(qdq.nodes);
                    qdq.emitted = true;
                }
            }
            builder.addAllNode(nodesBefore.getOrDefault(index, List.of()));
            builder.addNode(rewrittenNode(index));
            builder.addAllNode(nodesAfter.getOrDefault(index, List.of()));
        }
        builder.addAllInitializer(newInitializers);
        return builder.build();
    }

    private NodeProto rewrittenNode(int index) {
        NodeProto node = rewrittenBodies.getOrDefault(index, graph.getNode(index));
        NodeProto.Builder builder = node.toBuilder();
        inputRewires.getOrDefault(index, Map.of()).forEach(builder::setInput);
        outputRenames.getOrDefault(index, Map.of()).forEach(builder::setOutput);
        return builder.build();
    }

    /** The planning view of one node: the configuration with its override applied, and this scope's state. */
    private final class Context implements NodeContext {
        private final NodeProto node;
        private final NodeOverride settings;

        Context(NodeProto node) {
            this.node = node;
            this.settings = session.config().effectiveSettings(node.getName());
        }

        @Override
        public NodeProto node() {
            return node;
        }

        @Override
        public int opset() {
            return session.nodes().opset();
        }

        @Override
        public ElementType activationType() {
            return settings.activationType().elementType();
        }

        @Override
        public ElementType weightType() {
            return settings.weightType().elementType();
        }

        @Override
        public boolean perChannel() {
            return session.config().perChannel();
        }

        @Override
        public boolean activationSymmetric() {
            return session.config().activationSymmetric();
        }

        @Override
        public boolean weightSymmetric() {
            return session.config().weightSymmetric();
        }

        @Override
        public boolean quantizeEmbeddings() {
            return session.config().quantizeEmbeddings();
        }

        @Override
        public Optional<ElementType> elementType(String value) {
            return Optional.ofNullable(types.get(value));
        }

        // NOTE: WeightResolver searches this scope only, so a subgraph node whose weight is an
        // initializer of an enclosing graph treats it as an activation, which needs a range.
        @Override
        public Optional<ConstantTensor> constant(String value) {
            return WeightResolver.resolve(view, value, session.irVersion())
                    .map(constant -> new ConstantTensor(value, constant.tensor(), constant.producerNodes()));
        }

        @Override
        public Optional<QuantParameters> existingParameters(String value) {
            ActivationQdq qdq = activations.get(new ActivationKey(value, activationType()));
            return qdq == null ? Optional.empty() : Optional.of(qdq.parameters);
        }

        @Override
        public Optional<QuantParameters> calibratedParameters(String value) {
            return range(value, activationType(), activationSymmetric())
                    .map(range -> QuantMath.parameters(range.min(), range.max(), activationType(), activationSymmetric()));
        }
    }

    /**
     * Returns the calibrated range of {@code value}, or else the range of the data input of the
     * node that produced it when that node only copies or selects values (Reshape, Flatten,
     * Transpose ...): every value it outputs lies in its input's range. This covers values that
     * calibration never saw, such as the Flatten output an opset conversion puts before a Softmax.
     */
    private Optional<Range> range(String value, ElementType type, boolean symmetric) {
        String current = value;
        for (int depth = 0; depth < MAX_RANGE_INHERITANCE_DEPTH; depth++) {
            Optional<Range> range = session.ranges().range(current, type, symmetric);
            if (range.isPresent()) {
                return range;
            }
            Optional<Integer> producer = view.producer(current);
            if (producer.isEmpty()) {
                return Optional.empty();
            }
            NodeProto node = graph.getNode(producer.get());
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (!defaultDomain || !VALUE_PRESERVING_OPS.contains(node.getOpType()) || node.getInputCount() == 0) {
                return Optional.empty();
            }
            current = node.getInput(0);
        }
        return Optional.empty();
    }
}
