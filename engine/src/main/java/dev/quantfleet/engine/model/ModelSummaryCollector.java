package dev.quantfleet.engine.model;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.quantize.ops.OpRegistry;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.graph.WeightResolver.ConstantValue;
import dev.quantfleet.engine.model.ModelSummary.ValueSummary;
import dev.quantfleet.engine.model.ModelSummary.WeightLocations;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.SparseTensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Walks a model once per concern and fills a {@link ModelSummary}. */
final class ModelSummaryCollector {

    private static final Set<String> FOLDING_OPS = Set.of("Constant", "Cast", "Identity");

    private final Map<String, Integer> opTypeCounts = new HashMap<>();
    private int nodeCount;
    private int subgraphCount;
    private long parameterCount;
    private long parameterBytes;

    private ModelSummaryCollector() {
    }

    static ModelSummary collect(ModelProto model) {
        ModelSummaryCollector collector = new ModelSummaryCollector();
        GraphProto graph = model.getGraph();
        collector.walk(graph);
        GraphView view = new GraphView(graph);
        return new ModelSummary(
                model.getIrVersion(),
                opsetVersions(model),
                model.getProducerName(),
                model.getProducerVersion(),
                inputs(graph),
                graph.getOutputList().stream().map(ModelSummaryCollector::summarize).toList(),
                collector.nodeCount,
                sortedByCount(collector.opTypeCounts),
                collector.parameterCount,
                collector.parameterBytes,
                weightLocations(view, model.getIrVersion()),
                collector.subgraphCount,
                quantizableOpCounts(graph));
    }

    private void walk(GraphProto graph) {
        for (TensorProto initializer : graph.getInitializerList()) {
            countParameters(initializer);
        }
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            countParameters(sparse.getValues());
        }
        for (NodeProto node : graph.getNodeList()) {
            nodeCount++;
            opTypeCounts.merge(qualifiedOpType(node), 1, Integer::sum);
            boolean constant = node.getOpType().equals("Constant") && isDefaultDomain(node.getDomain());
            for (AttributeProto attribute : node.getAttributeList()) {
                if (constant) {
                    countConstantAttribute(attribute);
                }
                if (attribute.hasG()) {
                    subgraphCount++;
                    walk(attribute.getG());
                }
                for (GraphProto body : attribute.getGraphsList()) {
                    subgraphCount++;
                    walk(body);
                }
            }
        }
    }

    private void countConstantAttribute(AttributeProto attribute) {
        switch (attribute.getName()) {
            case "value" -> countParameters(attribute.getT());
            case "sparse_value" -> countParameters(attribute.getSparseTensor().getValues());
            case "value_float" -> add(1, 4);
            case "value_floats" -> add(attribute.getFloatsCount(), 4L * attribute.getFloatsCount());
            case "value_int" -> add(1, 8);
            case "value_ints" -> add(attribute.getIntsCount(), 8L * attribute.getIntsCount());
            case "value_string" -> add(1, attribute.getS().size());
            case "value_strings" -> add(attribute.getStringsCount(),
                    attribute.getStringsList().stream().mapToLong(bytes -> bytes.size()).sum());
            default -> {
                // An unknown attribute contains no value that this version can count.
            }
        }
    }

    private void countParameters(TensorProto tensor) {
        long elements = TensorCodec.elementCount(tensor);
        ElementType type = TensorCodec.elementType(tensor);
        long bytes = type == ElementType.STRING
                ? tensor.getStringDataList().stream().mapToLong(value -> value.size()).sum()
                : type.rawByteCount(elements);
        add(elements, bytes);
    }

    private void add(long elements, long bytes) {
        parameterCount += elements;
        parameterBytes += bytes;
    }

    private static Map<String, Long> opsetVersions(ModelProto model) {
        Map<String, Long> versions = new TreeMap<>();
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            versions.put(isDefaultDomain(opset.getDomain()) ? "ai.onnx" : opset.getDomain(), opset.getVersion());
        }
        return versions;
    }

    private static List<ValueSummary> inputs(GraphProto graph) {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(initializer -> initializers.add(initializer.getName()));
        return graph.getInputList().stream()
                .filter(input -> !initializers.contains(input.getName()))
                .map(ModelSummaryCollector::summarize)
                .toList();
    }

    static ValueSummary summarize(ValueInfoProto value) {
        TypeProto type = value.getType();
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> new ValueSummary(value.getName(), elementTypeName(type.getTensorType().getElemType()),
                    type.getTensorType().hasShape() ? dims(type.getTensorType().getShape()) : null);
            case SPARSE_TENSOR_TYPE -> new ValueSummary(value.getName(),
                    "sparse " + elementTypeName(type.getSparseTensorType().getElemType()),
                    type.getSparseTensorType().hasShape() ? dims(type.getSparseTensorType().getShape()) : null);
            case SEQUENCE_TYPE -> new ValueSummary(value.getName(), "sequence", null);
            case MAP_TYPE -> new ValueSummary(value.getName(), "map", null);
            case OPTIONAL_TYPE -> new ValueSummary(value.getName(), "optional", null);
            default -> new ValueSummary(value.getName(), "unknown", null);
        };
    }

    private static String elementTypeName(int code) {
        try {
            return ElementType.fromCode(code).name().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "element type " + code;
        }
    }

    private static List<String> dims(TensorShapeProto shape) {
        List<String> dims = new ArrayList<>(shape.getDimCount());
        for (TensorShapeProto.Dimension dim : shape.getDimList()) {
            if (dim.hasDimValue()) {
                dims.add(Long.toString(dim.getDimValue()));
            } else if (dim.hasDimParam() && !dim.getDimParam().isEmpty()) {
                dims.add(dim.getDimParam());
            } else {
                dims.add("?");
            }
        }
        return dims;
    }

    /**
     * Counts each floating-point constant that a main-graph node other than Constant, Cast or
     * Identity reads, once, by the origin {@link WeightResolver} finds for it.
     */
    private static WeightLocations weightLocations(GraphView view, long irVersion) {
        Set<String> seen = new HashSet<>();
        int initializers = 0;
        int constantNodes = 0;
        int castFolded = 0;
        for (NodeProto node : view.graph().getNodeList()) {
            if (isDefaultDomain(node.getDomain()) && FOLDING_OPS.contains(node.getOpType())) {
                continue;
            }
            for (String input : node.getInputList()) {
                if (input.isEmpty() || !seen.add(input)) {
                    continue;
                }
                Optional<ConstantValue> value = WeightResolver.resolve(view, input, irVersion);
                if (value.isEmpty() || !value.get().elementType().isFloatingPoint()) {
                    continue;
                }
                List<String> producerOps = value.get().producerNodes().stream()
                        .map(index -> view.node(index).getOpType())
                        .toList();
                if (producerOps.contains("Cast")) {
                    castFolded++;
                } else if (producerOps.contains("Constant")) {
                    constantNodes++;
                } else {
                    initializers++;
                }
            }
        }
        return new WeightLocations(initializers, constantNodes, castFolded);
    }

    private static Map<String, Integer> quantizableOpCounts(GraphProto graph) {
        Map<String, Integer> counts = new TreeMap<>();
        OpRegistry registry = OpRegistry.standard();
        for (NodeProto node : graph.getNodeList()) {
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (defaultDomain && registry.handler(node.getOpType()).isPresent()) {
                counts.merge(node.getOpType(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Map<String, Integer> sortedByCount(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private static String qualifiedOpType(NodeProto node) {
        return isDefaultDomain(node.getDomain()) ? node.getOpType() : node.getDomain() + "::" + node.getOpType();
    }

    private static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }
}
