package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.util.List;
import java.util.Map;

/**
 * A quantized model and the summary of what was done to it.
 *
 * @param model   the quantized model
 * @param summary what was quantized, excluded and skipped, and why; serializable as JSON
 */
public record QuantizationResult(@JsonIgnore ModelProto model, Summary summary) {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /**
     * A node of the input model: its graph scope ({@code main}, or the owning node and attribute
     * path for a subgraph, e.g. {@code main/If 'branch'.then_branch}), its index in that graph
     * before quantization (after any opset conversion), its name and op type.
     */
    public record NodeRef(String scope, int index, String name, String opType) {
    }

    /** A quantized node, the integer types it uses and any part left in float on purpose. */
    public record QuantizedNode(NodeRef node, List<String> elementTypes, List<String> notes) {
    }

    /** A node left in float and the reason. */
    public record UntouchedNode(NodeRef node, String reason) {
    }

    /** A subgraph left as it was and the reason. */
    public record SkippedSubgraph(String scope, String reason) {
    }

    /** The default-domain opset before and after quantization, and the nodes the conversion rewrote. */
    public record OpsetChange(long from, long to, Map<String, Integer> rewrittenNodesByOpType) {
    }

    /**
     * @param format                     QDQ or Dynamic
     * @param opTypesToQuantize          the op types considered, after the default rule
     * @param quantized                  quantized nodes
     * @param excluded                   nodes the configuration excluded
     * @param skipped                    nodes of a considered op type that stayed float, each with its reason
     * @param skippedSubgraphs           subgraphs left unchanged
     * @param quantizedWeightCount       constant tensors stored quantized (weights, embeddings, constant inputs)
     * @param quantizedBiasCount         biases stored as int32
     * @param quantizedActivationCount   activation tensors with a QuantizeLinear/DequantizeLinear pair
     * @param removedFloatConstantCount  float initializers and Constant/Cast nodes removed after quantization
     * @param opsetChange                opset conversion, or null when the opset stayed
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Summary(QuantFormat format, List<String> opTypesToQuantize, List<QuantizedNode> quantized,
                          List<UntouchedNode> excluded, List<UntouchedNode> skipped,
                          List<SkippedSubgraph> skippedSubgraphs, int quantizedWeightCount, int quantizedBiasCount,
                          int quantizedActivationCount, int removedFloatConstantCount, OpsetChange opsetChange) {

        public Summary {
            opTypesToQuantize = List.copyOf(opTypesToQuantize);
            quantized = List.copyOf(quantized);
            excluded = List.copyOf(excluded);
            skipped = List.copyOf(skipped);
            skippedSubgraphs = List.copyOf(skippedSubgraphs);
        }
    }

    /** Writes the summary as indented JSON with a fixed property order. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the quantization summary as JSON failed", e);
        }
    }
}
