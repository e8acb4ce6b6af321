package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.graph.ConversionStep.Result;
import dev.quantfleet.engine.graph.ConversionStep.StepRejectedException;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.FunctionProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Raises the default-domain ({@code ""} or {@code ai.onnx}) opset of a model and rewrites every
 * node whose signature changed in between, in the main graph, in If/Loop/Scan bodies and in
 * model-local functions. Other domains are left alone.
 *
 * <p>For each node the changes of its op type at every version in {@code (from, target]} are
 * applied in order, so a node crosses several changes (Upsample at 9, 10 and 11) one at a time;
 * {@link OpsetChanges} lists them and the classes it names draw each rewrite. New constant inputs
 * (axes, pads, scales ...) become int64 or float initializers named after the node, through
 * {@link NameAllocator}, so names never collide and the same model always converts to the same
 * bytes. In a function body they become Constant nodes. The IR version is raised to the
 * lowest one that the target opset requires.
 *
 * <p>The conversion is all or nothing: every node that cannot be carried across is collected
 * and reported in one {@link OpsetConversionException}. Lowering the opset is not supported.
 */
public final class OpsetConverter {

    /** Oldest source opset; older models use attributes (consumed_inputs, broadcast) not handled here. */
    public static final int MIN_SOURCE_VERSION = 7;

    /** Newest target opset whose changes {@link OpsetChanges} lists. */
    public static final int MAX_TARGET_VERSION = 23;

    private OpsetConverter() {
    }

    /**
     * Converts {@code model} to opset {@code targetVersion} of the default domain.
     *
     * @throws OpsetConversionException if the model has no single default-domain opset, the
     *     conversion would lower it, a version is outside [{@link #MIN_SOURCE_VERSION},
     *     {@link #MAX_TARGET_VERSION}], or a node cannot be carried across
     */
    public static OpsetConversion convert(ModelProto model, int targetVersion) throws OpsetConversionException {
        long fromVersion = defaultDomainVersion(model.getOpsetImportList(), "model")
                .orElseThrow(() -> new OpsetConversionException(0, targetVersion, List.of(
                        "the model imports no default-domain opset (\"\" or \"ai.onnx\")")));
        if (fromVersion == targetVersion) {
            return new OpsetConversion(model, fromVersion, targetVersion, Map.of());
        }
        checkRange(fromVersion, targetVersion);

        Conversion conversion = new Conversion(NameAllocator.of(model), targetVersion);
        GraphProto graph = conversion.convertGraph(model.getGraph(), fromVersion);
        List<FunctionProto> functions = new ArrayList<>();
        for (FunctionProto function : model.getFunctionsList()) {
            functions.add(conversion.convertFunction(function, fromVersion));
        }
        if (!conversion.rejections.isEmpty()) {
            throw new OpsetConversionException(fromVersion, targetVersion, conversion.rejections);
        }

        ModelProto.Builder builder = model.toBuilder()
                .setGraph(graph)
                .clearFunctions().addAllFunctions(functions)
                .clearOpsetImport().addAllOpsetImport(raiseDefaultDomain(model.getOpsetImportList(), targetVersion));
        builder.setIrVersion(Math.max(model.getIrVersion(), minimumIrVersion(targetVersion)));
        return new OpsetConversion(builder.build(), fromVersion, targetVersion, conversion.rewrittenNodes);
    }

    /**
     * The lowest IR version that declares {@code opset} of the default domain, from the release
     * table in docs/Versioning.md of the ONNX specification (opset 22 shipped with IR 10, 23 with IR 11).
     */
    static long minimumIrVersion(long opset) {
        if (opset <= 8) {
            return 3;
        }
        if (opset == 9) {
            return 4;
        }
        if (opset == 10) {
            return 5;
        }
        if (opset == 11) {
            return 6;
        }
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        if (opset <= 22) {
            return 10;
        }
        return 11;
    }

    private static void checkRange(long fromVersion, long targetVersion) throws OpsetConversionException {
        if (targetVersion < fromVersion) {
            throw new OpsetConversionException(fromVersion, targetVersion, List.of(
                    "lowering the opset is not supported; pick a target of at least " + fromVersion));
        }
        if (fromVersion < MIN_SOURCE_VERSION) {
            throw new OpsetConversionException(fromVersion, targetVersion, List.of("source opsets below "
                    + MIN_SOURCE_VERSION + " are not supported; re-export the model with opset " + MIN_SOURCE_VERSION
                    + " or later"));
        }
        if (targetVersion > MAX_TARGET_VERSION) {
            throw new OpsetConversionException(fromVersion, targetVersion, List.of("target opsets above "
                    + MAX_TARGET_VERSION + " are not supported; pick a target between " + fromVersion + " and "
                    + MAX_TARGET_VERSION));
        }
    }

    private static OptionalLong defaultDomainVersion(List<OperatorSetIdProto> imports, String owner)
            throws OpsetConversionException {
        OptionalLong version = OptionalLong.empty();
        for (OperatorSetIdProto opset : imports) {
            if (!isDefaultDomain(opset.getDomain())) {
                continue;
            }
            if (version.isPresent() && version.getAsLong() != opset.getVersion()) {
                throw new OpsetConversionException(version.getAsLong(), opset.getVersion(), List.of("the " + owner
                        + " imports the default domain twice, at opsets " + version.getAsLong() + " and "
                        + opset.getVersion()));
            }
            version = OptionalLong.of(opset.getVersion());
        }
        return version;
    }

    private static List<OperatorSetIdProto> raiseDefaultDomain(List<OperatorSetIdProto> imports, long targetVersion) {
        List<OperatorSetIdProto> raised = new ArrayList<>(imports.size());
        for (OperatorSetIdProto opset : imports) {
            raised.add(isDefaultDomain(opset.getDomain()) ? opset.toBuilder().setVersion(targetVersion).build() : opset);
        }
        return raised;
    }

    static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    /** State of one conversion: shared names, counts and rejections over all scopes. */
    private static final class Conversion {
        private final NameAllocator names;
        private final long targetVersion;
        private final Map<String, Integer> rewrittenNodes = new TreeMap<>();
        private final List<String> rejections = new ArrayList<>();

        Conversion(NameAllocator names, long targetVersion) {
            this.names = names;
            this.targetVersion = targetVersion;
        }

        GraphProto convertGraph(GraphProto graph, long fromVersion) {
            RewriteScope scope = new RewriteScope(new GraphView(graph), false, names, targetVersion);
            List<NodeProto> nodes = new ArrayList<>(graph.getNodeCount());
            for (NodeProto node : graph.getNodeList()) {
                nodes.addAll(convertNode(convertSubgraphs(node, fromVersion), fromVersion, scope));
            }
            GraphProto.Builder builder = graph.toBuilder()
                    .clearNode().addAllNode(nodes)
                    .addAllInitializer(scope.newInitializers());
            if (!scope.removedValues().isEmpty()) {
                List<ValueInfoProto> kept = graph.getValueInfoList().stream()
                        .filter(info -> !scope.removedValues().contains(info.getName()))
                        .toList();
                builder.clearValueInfo().addAllValueInfo(kept);
            }
            return builder.build();
        }

        FunctionProto convertFunction(FunctionProto function, long modelVersion) {
            OptionalLong declared;
            try {
                declared = defaultDomainVersion(function.getOpsetImportList(), "function '" + function.getName() + "'");
            } catch (OpsetConversionException e) {
                rejections.addAll(e.reasons());
                return function;
            }
            long fromVersion = declared.orElse(modelVersion);
            if (fromVersion > targetVersion) {
                rejections.add("function '" + function.getName() + "' imports opset " + fromVersion
                        + ", above the target; lowering is not supported");
                return function;
            }
            GraphProto.Builder body = GraphProto.newBuilder().setName(function.getName()).addAllNode(function.getNodeList());
            function.getOutputList().forEach(output -> body.addOutput(ValueInfoProto.newBuilder().setName(output)));
            function.getInputList().forEach(input -> body.addInput(ValueInfoProto.newBuilder().setName(input)));
            body.addAllValueInfo(function.getValueInfoList());
            RewriteScope scope = new RewriteScope(new GraphView(body.build()), true, names, targetVersion);
            List<NodeProto> nodes = new ArrayList<>(function.getNodeCount());
            for (NodeProto node : function.getNodeList()) {
                nodes.addAll(convertNode(convertSubgraphs(node, fromVersion), fromVersion, scope));
            }
            return function.toBuilder()
                    .clearNode().addAllNode(nodes)
                    .clearOpsetImport().addAllOpsetImport(raiseDefaultDomain(function.getOpsetImportList(), targetVersion))
                    .build();
        }

        private NodeProto convertSubgraphs(NodeProto node, long fromVersion) {
            NodeProto.Builder builder = null;
            for (int i = 0; i < node.getAttributeCount(); i++) {
                AttributeProto attribute = node.getAttribute(i);
                if (!attribute.hasG() && attribute.getGraphsCount() == 0) {
                    continue;
                }
                AttributeProto.Builder converted = attribute.toBuilder();
                if (attribute.hasG()) {
                    converted.setG(convertGraph(attribute.getG(), fromVersion));
                }
                for (int j = 0; j < attribute.getGraphsCount(); j++) {
                    converted.setGraphs(j, convertGraph(attribute.getGraphs(j), fromVersion));
                }
                builder = builder == null ? node.toBuilder() : builder;
                builder.setAttribute(i, converted);
            }
            return builder == null ? node : builder.build();
        }

        /** Applies every change of the node's op type in (fromVersion, target]; returns the nodes that replace it. */
        private List<NodeProto> convertNode(NodeProto node, long fromVersion, RewriteScope scope) {
            if (!isDefaultDomain(node.getDomain())) {
                return List.of(node);
            }
            if (!OpsetChanges.isKnown(node.getOpType())) {
                rejections.add(describe(node) + ": the operator is unknown to the converter, so its changes between"
                        + " opsets " + fromVersion + " and " + targetVersion + " cannot be checked");
                return List.of(node);
            }

            List<NodeProto> before = new ArrayList<>();
            List<NodeProto> after = new ArrayList<>();
            NodeProto current = node;
            boolean changed = false;
            for (long version = fromVersion + 1; version <= targetVersion; version++) {
                Optional<ConversionStep> step = OpsetChanges.step(current.getOpType(), version);
                if (step.isEmpty()) {
                    continue;
                }
                try {
                    Result result = step.get().apply(current, scope);
                    current = result.node();
                    before.addAll(result.before());
                    after.addAll(result.after());
                    changed |= result.changed();
                } catch (StepRejectedException e) {
                    rejections.add(describe(node) + " cannot cross opset " + version + " (converting " + fromVersion
                            + " to " + targetVersion + "): " + e.getMessage());
                    return List.of(node);
                }
            }

            if (changed) {
                rewrittenNodes.merge(node.getOpType(), 1, Integer::sum);
            }
            List<NodeProto> replacement = new ArrayList<>(scope.drainConstantNodes());
            replacement.addAll(before);
            replacement.add(current);
            replacement.addAll(after);
            return replacement;
        }

        private static String describe(NodeProto node) {
            return node.getOpType() + " node '" + OpsetRewrites.baseName(node) + "'";
        }
    }
}
