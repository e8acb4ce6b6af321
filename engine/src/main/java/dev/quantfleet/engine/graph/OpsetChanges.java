package dev.quantfleet.engine.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The default-domain operators the converter handles, and for each the opset versions at which
 * an existing node stops being valid or changes meaning, with the step that carries it across.
 *
 * <p>Every other version of a known operator only adds element types, optional inputs or
 * attributes whose defaults keep the old behavior, so a node stays valid unchanged (for
 * example Add at 13 and 14, Reshape at 14, Resize at 18 and 19, Pad at 18 and 19, the bfloat16
 * additions of opset 22, the float4 additions of opset 23). The table was checked against the
 * adapter registry of the ONNX version converter ({@code onnx/version_converter/convert.h} in
 * github.com/onnx/onnx) for opsets 7 to 23; unlike that converter, Resize at 11 keeps the
 * coordinate mapping of Resize-10 and Hardmax at 13 is rebuilt like Softmax.
 */
final class OpsetChanges {

    /** Experimental operators that opset 10 removed from the default domain. */
    private static final Set<String> REMOVED_AT_10 = Set.of("ATen", "Affine", "ConstantFill", "Crop",
            "DynamicSlice", "GRUUnit", "GivenTensorFill", "ImageScaler", "ParametricSoftplus", "Scale", "ScaledTanh");

    private static final Set<String> REDUCE_OPS_CHANGED_AT_18 = Set.of("ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare");

    private static final Set<String> KNOWN_OPS = Set.copyOf(List.of(
            "Abs", "Acos", "Acosh", "Add", "AffineGrid", "And", "ArgMax", "ArgMin", "Asin", "Asinh", "Atan", "Atanh",
            "AveragePool", "BatchNormalization", "Bernoulli", "BitShift", "BitwiseAnd", "BitwiseNot", "BitwiseOr",
            "BitwiseXor", "BlackmanWindow", "Cast", "CastLike", "Ceil", "Celu", "CenterCropPad", "Clip", "Col2Im",
            "Compress", "Concat", "ConcatFromSequence", "Constant", "ConstantOfShape", "Conv", "ConvInteger",
            "ConvTranspose", "Cos", "Cosh", "CumSum", "DFT", "DeformConv", "DepthToSpace", "DequantizeLinear", "Det",
            "Div", "Dropout", "DynamicQuantizeLinear", "Einsum", "Elu", "Equal", "Erf", "Exp", "Expand", "EyeLike",
            "Flatten", "Floor", "GRU", "Gather", "GatherElements", "GatherND", "Gelu", "Gemm", "GlobalAveragePool",
            "GlobalLpPool", "GlobalMaxPool", "Greater", "GreaterOrEqual", "GridSample", "GroupNormalization",
            "HammingWindow", "HannWindow", "HardSigmoid", "HardSwish", "Hardmax", "Identity", "If", "ImageDecoder",
            "InstanceNormalization", "IsInf", "IsNaN", "LRN", "LSTM", "LayerNormalization", "LeakyRelu", "Less",
            "LessOrEqual", "Log", "LogSoftmax", "Loop", "LpNormalization", "LpPool", "MatMul", "MatMulInteger", "Max",
            "MaxPool", "MaxRoiPool", "MaxUnpool", "Mean", "MeanVarianceNormalization", "MelWeightMatrix", "Min",
            "Mish", "Mod", "Mul", "Multinomial", "Neg", "NegativeLogLikelihoodLoss", "NonMaxSuppression", "NonZero",
            "Not", "OneHot", "Optional", "OptionalGetElement", "OptionalHasElement", "Or", "PRelu", "Pad", "Pow",
            "QLinearConv", "QLinearMatMul", "QuantizeLinear", "RNN", "RandomNormal", "RandomNormalLike",
            "RandomUniform", "RandomUniformLike", "Range", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare",
            "RegexFullMatch", "Relu", "Reshape", "Resize", "ReverseSequence", "RoiAlign", "Round", "STFT", "Scan",
            "Scatter", "ScatterElements", "ScatterND", "Selu", "SequenceAt", "SequenceConstruct", "SequenceEmpty",
            "SequenceErase", "SequenceInsert", "SequenceLength", "SequenceMap", "Shape", "Shrink", "Sigmoid", "Sign",
            "Sin", "Sinh", "Size", "Slice", "Softmax", "SoftmaxCrossEntropyLoss", "Softplus", "Softsign",
            "SpaceToDepth", "Split", "SplitToSequence", "Sqrt", "Squeeze", "StringConcat", "StringNormalizer",
            "StringSplit", "Sub", "Sum", "Tan", "Tanh", "TfIdfVectorizer", "ThresholdedRelu", "Tile", "TopK",
            "Transpose", "Trilu", "Unique", "Unsqueeze", "Upsample", "Where", "Xor"));

    private static final Map<String, Map<Integer, ConversionStep>> STEPS = new HashMap<>();

    static {
        add("BatchNormalization", 9, OpsetRewrites::batchNormalizationDropsSpatial);
        add("Upsample", 9, ResizeRewrites::upsampleScalesToInput);
        add("Scan", 9, OpsetRewrites.reject(
                "Scan-9 dropped the batch axis and the sequence_lens input of Scan-8, so the body must be rewritten"));

        add("Dropout", 10, OpsetRewrites::dropoutMaskBecomesBool);
        add("Slice", 10, OpsetRewrites::sliceAttributesToInputs);
        add("TopK", 10, OpsetRewrites::topKToInput);
        add("Upsample", 10, ResizeRewrites::upsampleBecomesResize);
        for (String removed : REMOVED_AT_10) {
            add(removed, 10, OpsetRewrites.reject("the experimental operator " + removed
                    + " was removed from the default domain at opset 10; replace it before converting"));
        }

        add("Clip", 11, OpsetRewrites::clipBoundsToInputs);
        add("Pad", 11, OpsetRewrites::padAttributesToInputs);
        add("Resize", 11, ResizeRewrites::resizeAddsRoi);
        add("Scatter", 11, OpsetRewrites::scatterBecomesScatterElements);

        add("Dropout", 12, OpsetRewrites::dropoutRatioToInput);

        add("Squeeze", 13, OpsetRewrites.int64sToInput("axes", 1));
        add("Unsqueeze", 13, OpsetRewrites.int64sToInput("axes", 1));
        add("ReduceSum", 13, OpsetRewrites.int64sToInput("axes", 1));
        add("Split", 13, OpsetRewrites.int64sToInput("split", 1));
        add("Softmax", 13, SoftmaxAxisRewrite::apply);
        add("LogSoftmax", 13, SoftmaxAxisRewrite::apply);
        add("Hardmax", 13, SoftmaxAxisRewrite::apply);
        add("Resize", 13, ResizeRewrites::resizeRejectsRemovedMode);

        add("BatchNormalization", 14, OpsetRewrites::batchNormalizationDropsTrainingOutputs);

        add("RoiAlign", 16, OpsetRewrites::roiAlignKeepsOutputHalfPixel);

        for (String reduce : REDUCE_OPS_CHANGED_AT_18) {
            add(reduce, 18, OpsetRewrites.int64sToInput("axes", 1));
        }
        add("Split", 18, OpsetRewrites::splitStatesNumOutputs);

        add("GridSample", 20, OpsetRewrites::gridSampleRenamesModes);
        add("DFT", 20, OpsetRewrites.reject("DFT-20 moved axis to an input and changed the meaning of dft_length"));

        add("GroupNormalization", 21, OpsetRewrites.reject(
                "GroupNormalization-21 takes scale and bias per channel instead of per group"));
    }

    private OpsetChanges() {
    }

    static boolean isKnown(String opType) {
        return KNOWN_OPS.contains(opType) || REMOVED_AT_10.contains(opType);
    }

    /** Returns the step for {@code opType} at {@code version}, or empty when nodes stay valid unchanged across it. */
    static Optional<ConversionStep> step(String opType, long version) {
        Map<Integer, ConversionStep> steps = STEPS.get(opType);
        return steps == null ? Optional.empty() : Optional.ofNullable(steps.get((int) version));
    }

    private static void add(String opType, int version, ConversionStep step) {
        STEPS.computeIfAbsent(opType, key -> new HashMap<>()).put(version, step);
    }
}
