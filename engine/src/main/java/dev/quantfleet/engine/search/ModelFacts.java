package dev.quantfleet.engine.search;

import dev.quantfleet.engine.graph.OpsetConversionException;
import dev.quantfleet.engine.graph.OpsetConverter;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.quantize.DefaultOpTypes;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantFormat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The facts about the model and the target that the validity rules of a search read.
 *
 * @param opset              the model's default-domain opset
 * @param maxReachableOpset  the highest opset the model can be converted to; 16-bit activations
 *                           and 4-bit or 16-bit weights need 21
 * @param opTypesPresent     op types of the default domain in the model, sorted
 * @param defaultOpTypes     op types quantized when a configuration leaves them unset (QDQ)
 * @param nodeNames          names of the top-level graph's nodes, in graph order
 * @param executionProvider  the ONNX Runtime execution provider the candidates run on, as
 *                           {@code OrtSession} names it (e.g. {@code CPUExecutionProvider}); it
 *                           decides which {@link OperatorForm}s are allowed
 */
public record ModelFacts(int opset, int maxReachableOpset, SortedSet<String> opTypesPresent,
                         SortedSet<String> defaultOpTypes, List<String> nodeNames, String executionProvider) {

    /** The opset that introduced 16-bit and 4-bit types in QuantizeLinear and DequantizeLinear. */
    public static final int OPSET_FOR_16_AND_4_BIT = 21;

    public ModelFacts {
        opTypesPresent = new TreeSet<>(opTypesPresent);
        defaultOpTypes = new TreeSet<>(defaultOpTypes);
        nodeNames = List.copyOf(nodeNames);
        Objects.requireNonNull(executionProvider, "executionProvider; use e.g. "
                + OperatorForm.CPU_EXECUTION_PROVIDER);
    }

    /**
     * Collects the facts of {@code model}, with the reachable opset and execution provider stated by
     * the caller. The opset is the default domain's ({@code ""} or {@code ai.onnx}), or 0 when the
     * model imports none. Op types and node names come from the top-level graph only.
     */
    public static ModelFacts of(ModelProto model, int maxReachableOpset, String executionProvider) {
        int opset = model.getOpsetImportList().stream()
                .filter(entry -> entry.getDomain().isEmpty() || entry.getDomain().equals("ai.onnx"))
                .mapToInt(entry -> (int) entry.getVersion()).findFirst().orElse(0);
        SortedSet<String> present = new TreeSet<>();
        List<String> names = new ArrayList<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")) {
                present.add(node.getOpType());
            }
            names.add(node.getName());
        }
        return new ModelFacts(opset, Math.max(opset, maxReachableOpset), present,
                new TreeSet<>(DefaultOpTypes.forModel(model, QuantFormat.QDQ)), names, executionProvider);
    }

    /** Returns whether candidates in operator form {@code form} run on {@link #executionProvider()}. */
    public boolean supports(OperatorForm form) {
        return form.isSupportedBy(executionProvider);
    }

    /** Returns whether the execution provider runs ONNX Runtime's fused {@code com.microsoft} operators. */
    public boolean supportsContribOps() {
        return supports(OperatorForm.ContribFused);
    }

    /** Returns whether 16-bit activations and 4-bit or 16-bit weights are possible. */
    public boolean allows16And4Bit() {
        return maxReachableOpset >= OPSET_FOR_16_AND_4_BIT;
    }

    /** Returns whether the model has matrix products and no convolutions, as a transformer does. */
    public boolean transformerLike() {
        boolean matrixProduct = opTypesPresent.contains("MatMul") || opTypesPresent.contains("Gemm");
        boolean convolution = opTypesPresent.contains("Conv") || opTypesPresent.contains("ConvTranspose");
        return matrixProduct && !convolution;
    }

    /**
     * Returns the block of {@code nodeName}: the part before its last {@code '/'}, e.g.
     * {@code /layer.3/attention} for {@code /layer.3/attention/MatMul}, or the name itself when it has none.
     */
    public static String blockOf(String nodeName) {
        int slash = nodeName.lastIndexOf('/');
        return slash <= 0 ? nodeName : nodeName.substring(0, slash);
    }

    /** Groups {@code nodes} by {@link #blockOf}, blocks and their nodes in the order first seen. */
    public static Map<String, List<String>> blocks(List<String> nodes) {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        for (String node : nodes) {
            blocks.computeIfAbsent(blockOf(node), block -> new ArrayList<>()).add(node);
        }
        return blocks;
    }

    /**
     * Returns the opset that 16-bit activations need when the model has it or can be converted to
     * it, and the model's own default-domain opset otherwise.
     */
    public static int maxReachableOpset(ModelProto model) {
        int opset = (int) model.getOpsetImportList().stream()
                .filter(entry -> entry.getDomain().isEmpty() || "ai.onnx".equals(entry.getDomain()))
                .mapToLong(OperatorSetIdProto::getVersion).max().orElse(1);
        if (opset >= OPSET_FOR_16_AND_4_BIT) {
            return opset;
        }
        try {
            OpsetConverter.convert(model, OPSET_FOR_16_AND_4_BIT);
            return OPSET_FOR_16_AND_4_BIT;
        } catch (OpsetConversionException e) {
            return opset;
        }
    }

    /** Returns the op type of every named node of the main graph, in graph order. */
    public static Map<String, String> opTypesByNode(ModelProto model) {
        Map<String, String> opTypes = new LinkedHashMap<>();
        model.getGraph().getNodeList().forEach(node -> opTypes.put(node.getName(), node.getOpType()));
        return opTypes;
    }
}
