package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.Optional;

/**
 * The view an {@link OpHandler} has of one node while planning: the node, the settings that apply
 * to it (configuration with node overrides applied), element types and constants of its scope,
 * and the quantization parameters already chosen for activations.
 */
public interface NodeContext {

    NodeProto node();

    /** Returns the op type and node name, for messages. */
    default String nodeLabel() {
        return node().getOpType() + " node '" + node().getName() + "'";
    }

    /** Default-domain opset of the model being written. */
    int opset();

    ElementType activationType();

    ElementType weightType();

    boolean perChannel();

    boolean activationSymmetric();

    boolean weightSymmetric();

    boolean quantizeEmbeddings();

    /** Element type of a value, if known or inferable. */
    Optional<ElementType> elementType(String value);

    /** The folded value of a constant input (initializer, Constant node, Cast of one). */
    Optional<ConstantTensor> constant(String value);

    /** Parameters an earlier node already chose for {@code value} at this node's activation type. */
    Optional<QuantParameters> existingParameters(String value);

    /** Parameters from the calibrated range of {@code value} at this node's activation type and symmetry. */
    Optional<QuantParameters> calibratedParameters(String value);
}
