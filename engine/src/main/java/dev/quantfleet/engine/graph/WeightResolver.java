package dev.quantfleet.engine.graph;

import com.google.protobuf.ByteString;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the constant tensor behind a value, so that quantizers see weights wherever a model
 * keeps them. A value is constant when it is
 * <ul>
 *   <li>an initializer that callers cannot override (see {@link #resolve(GraphView, String, long)}),</li>
 *   <li>the output of a {@code Constant} node ({@code value}, {@code value_float(s)},
 *       {@code value_int(s)} or {@code value_string(s)}),</li>
 *   <li>the output of an {@code Identity} or {@code Cast} whose input is constant, folded here.</li>
 * </ul>
 * Chains such as {@code Constant -> Cast -> Identity} fold as a whole; exporters that keep every
 * weight in {@code Constant} nodes (PaddleOCR) or store float16 initializers behind a
 * {@code Cast} are covered by that.
 *
 * <p>Only the scope of the given {@link GraphView} is searched: a subgraph value that comes from
 * an outer scope is not resolved.
 */
public final class WeightResolver {

    /** Longest Constant/Cast/Identity chain followed; real exporters produce two or three links. */
    static final int MAX_CHAIN_LENGTH = 64;

    /** IR version from which an initializer listed among the graph inputs is a default that callers may override. */
    static final long OVERRIDABLE_INITIALIZER_IR_VERSION = 4;

    /**
     * A constant value.
     *
     * @param tensor the value with its data inline, named after the resolved value
     * @param producerNodes indices in the graph of the Constant, Cast and Identity nodes that
     *     compute it, from the source to the value. Empty for an initializer.
     */
    public record ConstantValue(TensorProto tensor, List<Integer> producerNodes) {
        public ConstantValue {
            Objects.requireNonNull(tensor, "tensor");
            producerNodes = List.copyOf(producerNodes);
        }

        public ElementType elementType() {
            return TensorCodec.elementType(tensor);
        }
    }

    /**
     * The outcome of a resolution: a constant value, or the reason the value is not constant.
     *
     * @param value the constant, or null when the value is not constant
     * @param reason why the value is not constant, or null when it is
     */
    public record Resolution(ConstantValue value, String reason) {
        public Resolution {
            if ((value == null) == (reason == null)) {
                throw new IllegalArgumentException("A resolution has either a value or a reason, not both or neither");
            }
        }

        public boolean isConstant() {
            return value != null;
        }

        public Optional<ConstantValue> toOptional() {
            return Optional.ofNullable(value);
        }

        static Resolution constant(TensorProto tensor, List<Integer> producers) {
            return new Resolution(new ConstantValue(tensor, producers), null);
        }

        static Resolution notConstant(String reason) {
            return new Resolution(null, reason);
        }
    }

    private WeightResolver() {
    }

    /**
     * Resolves {@code valueName} with the rule of IR version 4 and later: an initializer that is
     * also a graph input is a default value, which callers may override, so it is not constant.
     */
    public static Optional<ConstantValue> resolve(GraphView view, String valueName) {
        return explain(view, valueName, OVERRIDABLE_INITIALIZER_IR_VERSION).toOptional();
    }

    /**
     * Resolves {@code valueName} with the initializer rule of {@code irVersion}: before IR 4 every
     * initializer had to be listed as a graph input and stays constant (as in ONNX Runtime);
     * from IR 4 on, an initializer listed as a graph input can be overridden and is not constant.
     */
    public static Optional<ConstantValue> resolve(GraphView view, String valueName, long irVersion) {
        return explain(view, valueName, irVersion).toOptional();
    }

    /** Resolves like {@link #resolve(GraphView, String)}, and returns the reason when a value is not constant. */
    public static Resolution explain(GraphView view, String valueName) {
        return explain(view, valueName, OVERRIDABLE_INITIALIZER_IR_VERSION);
    }

    /** Resolves like {@link #resolve(GraphView, String, long)}, and returns the reason when a value is not constant. */
    public static Resolution explain(GraphView view, String valueName, long irVersion) {
        List<Integer> chain = new ArrayList<>();
        String current = valueName;
        for (int step = 0; step < MAX_CHAIN_LENGTH; step++) {
            Optional<TensorProto> initializer = view.initializer(current);
            if (initializer.isPresent()) {
                return resolveInitializer(view, initializer.get(), irVersion, chain, valueName);
            }
            Optional<Integer> producer = view.producer(current);
            if (producer.isEmpty()) {
                return Resolution.notConstant("'" + current + "' is a graph input or comes from an outer scope");
            }
            int index = producer.get();
            NodeProto node = view.node(index);
            chain.add(index);
            if (!isDefaultDomain(node)) {
                return Resolution.notConstant(describe(node) + " is not a foldable operator");
            }
            switch (node.getOpType()) {
                case "Constant" -> {
                    return resolveConstantNode(view, node, chain, valueName);
                }
                case "Identity", "Cast" -> current = node.getInputCount() > 0 ? node.getInput(0) : "";
                default -> {
                    return Resolution.notConstant(describe(node)
                            + " computes it; only Constant, Cast and Identity are folded");
                }
            }
            if (current.isEmpty()) {
                return Resolution.notConstant(describe(node) + " has no input");
            }
        }
        return Resolution.notConstant("'" + valueName + "' is computed by more than " + MAX_CHAIN_LENGTH
                + " chained Constant, Cast and Identity nodes");
    }

    private static Resolution resolveInitializer(GraphView view, TensorProto initializer, long irVersion,
            List<Integer> chain, String valueName) {
        if (irVersion >= OVERRIDABLE_INITIALIZER_IR_VERSION && isListedAsInput(view, initializer.getName())) {
            return Resolution.notConstant("initializer '" + initializer.getName()
                    + "' is also a graph input, so callers may override it");
        }
        if (initializer.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Resolution.notConstant("initializer '" + initializer.getName()
                    + "' still refers to external data; load the model with ModelIo.load");
        }
        return fold(view, initializer, chain, valueName);
    }

    private static Resolution resolveConstantNode(GraphView view, NodeProto node, List<Integer> chain,
            String valueName) {
        String name = node.getOutputCount() > 0 ? node.getOutput(0) : "";
        if (node.getAttributeCount() != 1) {
            return Resolution.notConstant(describe(node) + " has " + node.getAttributeCount()
                    + " attributes; a Constant needs exactly one value attribute");
        }
        AttributeProto attribute = node.getAttribute(0);
        if (!attribute.getRefAttrName().isEmpty()) {
            return Resolution.notConstant(describe(node) + " takes its value from function attribute '"
                    + attribute.getRefAttrName() + "'");
        }
        TensorProto tensor;
        switch (attribute.getName()) {
            case "value" -> {
                if (attribute.getT().getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    return Resolution.notConstant(describe(node)
                            + " still refers to external data; load the model with ModelIo.load");
                }
                tensor = attribute.getT().toBuilder().setName(name).build();
            }
            case "value_float" -> tensor = TensorCodec.fromFloats(name, new long[0], new float[] {attribute.getF()});
            case "value_floats" -> {
                float[] values = new float[attribute.getFloatsCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = attribute.getFloats(i);
                }
                tensor = TensorCodec.fromFloats(name, new long[] {values.length}, values);
            }
            case "value_int" -> tensor = TensorCodec.fromLongs(name, new long[0], ElementType.INT64,
                    new long[] {attribute.getI()});
            case "value_ints" -> tensor = TensorCodec.fromLongs(name, new long[] {attribute.getIntsCount()},
                    ElementType.INT64, attribute.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case "value_string" -> tensor = stringTensor(name, List.of(attribute.getS()), false);
            case "value_strings" -> tensor = stringTensor(name, attribute.getStringsList(), true);
            case "sparse_value" -> {
                return Resolution.notConstant(describe(node)
                        + " holds a sparse_value; sparse constants are not densified here");
            }
            default -> {
                return Resolution.notConstant(describe(node) + " has unknown value attribute '"
                        + attribute.getName() + "'");
            }
        }
        return fold(view, tensor, chain, valueName);
    }

    /**
     * Applies the Cast and Identity nodes of {@code chain} (recorded from the value back to the
     * source) to {@code source}, and names the result {@code valueName}.
     */
    private static Resolution fold(GraphView view, TensorProto source, List<Integer> chain, String valueName) {
        List<Integer> sourceToValue = new ArrayList<>(chain);
        Collections.reverse(sourceToValue);
        TensorProto tensor = source;
        for (int index : sourceToValue) {
            NodeProto node = view.node(index);
            if (!node.getOpType().equals("Cast")) {
                continue;
            }
            Optional<ElementType> target = castTarget(node);
            if (target.isEmpty()) {
                return Resolution.notConstant(describe(node) + " has no valid 'to' attribute");
            }
            try {
                tensor = CastFolding.cast(tensor, target.get(), node.getOutput(0));
            } catch (IllegalArgumentException e) {
                return Resolution.notConstant(describe(node) + " cannot be folded: " + e.getMessage());
            }
        }
        if (!tensor.getName().equals(valueName)) {
            tensor = tensor.toBuilder().setName(valueName).build();
        }
        return Resolution.constant(tensor, sourceToValue);
    }

    private static Optional<ElementType> castTarget(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals("to")) {
                try {
                    return Optional.of(ElementType.fromCode((int) attribute.getI()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static TensorProto stringTensor(String name, List<ByteString> values, boolean vector) {
        TensorProto.Builder builder = TensorProto.newBuilder().setName(name).setDataType(ElementType.STRING.code());
        if (vector) {
            builder.addDims(values.size());
        }
        return builder.addAllStringData(values).build();
    }

    private static boolean isListedAsInput(GraphView view, String name) {
        for (ValueInfoProto input : view.graph().getInputList()) {
            if (input.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean isDefaultDomain(NodeProto node) {
        return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
    }

    private static String describe(NodeProto node) {
        return node.getOpType() + " node '" + node.getName() + "'";
    }
}
