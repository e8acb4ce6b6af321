package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantizationException;
import dev.quantfleet.engine.quantize.QuantizationResult;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Quantizes the float model with one configuration and evaluates the result:
 * <pre>
 *   QDQ:      statistics --(config's calibration method)--&gt; ranges --&gt; QdqQuantizer --&gt; evaluate
 *   Dynamic:                                          no ranges --&gt; QdqQuantizer --&gt; evaluate
 * </pre>
 * Calibration runs once, with {@link #calibrate}, over every tensor any configuration may need,
 * so candidates never run the calibration data again. A configuration that the quantizer cannot
 * apply to the model ({@link QuantizationException}) gives an UNSUPPORTED evaluation with the
 * quantizer's message; other quantizer failures give FAILED.
 */
public final class CandidateEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateEvaluator.class);

    private final ModelEvaluator evaluator;

    public CandidateEvaluator(ModelEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /**
     * Calibrates every tensor that {@link QdqQuantizer#tensorsToCalibrate} lists, with the
     * default histogram bin count of {@link CalibrationParameters#DEFAULTS}.
     *
     * @throws OrtException if ONNX Runtime rejects the model or fails on a sample
     */
    public static CalibrationStatistics calibrate(ModelProto floatModel, SampleSource samples, int threads)
            throws OrtException {
        return calibrate(floatModel, samples, threads, ExecutionProvider.cpu());
    }

    /**
     * Calibrates as {@link #calibrate(ModelProto, SampleSource, int)} does, with the sessions on {@code provider}.
     *
     * @throws OrtException if ONNX Runtime rejects the model or fails on a sample
     */
    public static CalibrationStatistics calibrate(ModelProto floatModel, SampleSource samples, int threads,
                                                  ExecutionProvider provider) throws OrtException {
        List<String> tensors = QdqQuantizer.tensorsToCalibrate(floatModel);
        Calibrator calibrator = new Calibrator(floatModel, tensors, threads, CalibrationParameters.DEFAULTS.numBins());
        return calibrator.calibrate(samples, provider);
    }

    /**
     * Quantizes {@code floatModel} with {@code config} and evaluates it. Failures become an UNSUPPORTED or FAILED evaluation instead of an exception.
     *
     * @param statistics calibration statistics from {@link #calibrate}; unused, and may be null,
     *                   for the Dynamic format
     */
    public QuantizedCandidate evaluate(ModelProto floatModel, CalibrationStatistics statistics, QuantConfig config) {
        QuantizationResult result;
        byte[] modelBytes;
        try {
            result = QdqQuantizer.quantize(floatModel, config, ranges(statistics, config));
            modelBytes = ModelIo.toBytes(result.model());
        } catch (QuantizationException e) {
            return new QuantizedCandidate(Evaluation.unsupported("The quantizer cannot apply this configuration: "
                    + e.getMessage()), null, null);
        } catch (RuntimeException e) {
            LOG.warn("Quantization failed for configuration {}", config.toJson(), e);
            return new QuantizedCandidate(Evaluation.failed("Quantization failed: " + e), null, null);
        }
        List<String> quantizedNodes = result.summary().quantized().stream()
                .map(node -> node.node().name())
                .toList();
        return new QuantizedCandidate(evaluator.evaluate(modelBytes, quantizedNodes), modelBytes, result.summary());
    }

    /**
     * Quantizes {@code floatModel} with {@code config} without evaluating it, e.g. to rebuild a
     * winner that was evaluated before; quantization is deterministic, so the bytes are the same.
     *
     * @throws QuantizationException if the quantizer cannot apply the configuration
     */
    public static QuantizedCandidate quantizeOnly(ModelProto floatModel, CalibrationStatistics statistics,
                                                  QuantConfig config, Evaluation evaluation) {
        QuantizationResult result = QdqQuantizer.quantize(floatModel, config, ranges(statistics, config));
        return new QuantizedCandidate(evaluation, ModelIo.toBytes(result.model()), result.summary());
    }

    private static ActivationRanges ranges(CalibrationStatistics statistics, QuantConfig config) {
        if (config.format() != QuantFormat.QDQ) {
            return ActivationRanges.none();
        }
        if (statistics == null) {
            throw new IllegalArgumentException("QDQ configurations need calibration statistics; run "
                    + "CandidateEvaluator.calibrate first");
        }
        return ActivationRanges.fromStatistics(statistics, config);
    }
}
