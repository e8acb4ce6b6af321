package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan for quantizing one node, made by an {@link OpHandler} before anything is written, so
 * a node is either quantized completely or not at all.
 *
 * @param activations   inputs that get a QuantizeLinear/DequantizeLinear pair
 * @param weights       constant inputs stored quantized, read through a DequantizeLinear
 * @param biases        constant inputs stored as int32, read through a DequantizeLinear
 * @param outputs       outputs that get a QuantizeLinear/DequantizeLinear pair, read by every consumer
 * @param embedding     a Gather table stored quantized; the DequantizeLinear follows the Gather
 * @param notes         parts left in float on purpose, e.g. an output without calibration range
 */
public record NodeQuantization(List<ActivationInput> activations, List<WeightInput> weights, List<BiasInput> biases,
                               List<QuantizedOutput> outputs, Optional<WeightInput> embedding, List<String> notes) {

    public NodeQuantization {
        activations = List.copyOf(activations);
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
        outputs = List.copyOf(outputs);
        notes = List.copyOf(notes);
    }

    /** An activation input and the parameters of its QuantizeLinear/DequantizeLinear pair. */
    public record ActivationInput(int inputIndex, QuantParameters parameters) {
    }

    /** A constant input and the parameters it is quantized with. */
    public record WeightInput(int inputIndex, ConstantTensor weight, QuantParameters parameters) {
    }

    /**
     * A bias quantized to int32: {@code values} with {@code scales} (one per value when per
     * channel along axis 0, else one) and zero point 0.
     */
    public record BiasInput(int inputIndex, ConstantTensor bias, long[] values, float[] scales) {

        public boolean isPerChannel() {
            return scales.length > 1;
        }
    }

    /** An output and the parameters of its QuantizeLinear/DequantizeLinear pair. */
    public record QuantizedOutput(int outputIndex, QuantParameters parameters) {
    }

    /** Integer types the plan uses, for the result summary. */
    public List<ElementType> elementTypes() {
        List<ElementType> types = new ArrayList<>();
        activations.forEach(input -> addOnce(types, input.parameters().type()));
        outputs.forEach(output -> addOnce(types, output.parameters().type()));
        weights.forEach(weight -> addOnce(types, weight.parameters().type()));
        embedding.ifPresent(table -> addOnce(types, table.parameters().type()));
        if (!biases.isEmpty()) {
            addOnce(types, ElementType.INT32);
        }
        return types;
    }

    private static void addOnce(List<ElementType> types, ElementType type) {
        if (!types.contains(type)) {
            types.add(type);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a plan. */
    public static final class Builder {
        private final List<ActivationInput> activations = new ArrayList<>();
        private final List<WeightInput> weights = new ArrayList<>();
        private final List<BiasInput> biases = new ArrayList<>();
        private final List<QuantizedOutput> outputs = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private WeightInput embedding;

        public Builder activation(int inputIndex, QuantParameters parameters) {
            activations.add(new ActivationInput(inputIndex, parameters));
            return this;
        }

        public Builder weight(int inputIndex, ConstantTensor weight, QuantParameters parameters) {
            weights.add(new WeightInput(inputIndex, weight, parameters));
            return this;
        }

        public Builder bias(int inputIndex, ConstantTensor bias, long[] values, float[] scales) {
            biases.add(new BiasInput(inputIndex, bias, values, scales));
            return this;
        }

        public Builder output(int outputIndex, QuantParameters parameters) {
            outputs.add(new QuantizedOutput(outputIndex, parameters));
            return this;
        }

        public Builder embedding(ConstantTensor table, QuantParameters parameters) {
            embedding = new WeightInput(0, table, parameters);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public NodeQuantization build() {
            return new NodeQuantization(activations, weights, biases, outputs, Optional.ofNullable(embedding), notes);
        }
    }
}
