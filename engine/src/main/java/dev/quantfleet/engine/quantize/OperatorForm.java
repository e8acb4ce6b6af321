package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * Operator form of the quantized nodes.
 * {@link #Standard}: only default-domain ONNX operators (QuantizeLinear, DequantizeLinear,
 * DynamicQuantizeLinear, MatMulInteger ...), which any ONNX runtime can load.
 * {@link #ContribFused}: where a MatMul with a constant 8-bit weight feeds an Add of a constant
 * float bias, the pair becomes one operator of ONNX Runtime's {@code com.microsoft} domain
 * (MatMulIntegerToFloat in QDQ format, DynamicQuantizeMatMul in Dynamic format); every other
 * node keeps its Standard form. ONNX Runtime registers CPU kernels for both operators
 * (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc); other runtimes and other
 * execution providers may reject the model.
 */
public enum OperatorForm {
    Standard,
    ContribFused;

    /** Name of ONNX Runtime's CPU execution provider, as {@code OrtSession} reports it. */
    public static final String CPU_EXECUTION_PROVIDER = "CPUExecutionProvider";

    /**
     * Returns whether models in this form run on ONNX Runtime's execution provider
     * {@code executionProvider} (for example {@code CPUExecutionProvider}). Standard runs on every
     * provider. ContribFused returns true for the CPU provider only, because the kernels of the
     * other providers were not checked, so they count as unsupported.
     */
    public boolean isSupportedBy(String executionProvider) {
        return this == Standard || CPU_EXECUTION_PROVIDER.equals(executionProvider);
    }

    @JsonValue
    public String jsonName() {
        return name();
    }

    @JsonCreator
    public static OperatorForm parse(String text) {
        for (OperatorForm form : values()) {
            if (form.name().equalsIgnoreCase(text.trim())) {
                return form;
            }
        }
        throw new IllegalArgumentException("Unknown operator form '" + text + "'; expected one of "
                + Arrays.toString(values()));
    }
}
