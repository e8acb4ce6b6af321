package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Calibrates all-MiniLM-L6-v2 as {@code quantfleet apply} does: the tensors of
 * {@link QdqQuantizer#tensorsToCalibrate}, unpadded texts of at most
 * {@link MiniLmFiles#MAX_TOKENS} tokens, the configuration's histogram bins.
 */
final class MiniLmCalibration {

    /** Texts that the {@code a8w8} model is calibrated on, as in the README's demo: the first 64 synopses. */
    static final int CALIBRATION_TEXTS = 64;

    private MiniLmCalibration() {
    }

    static CalibrationStatistics calibrate(ModelProto model, MiniLmFiles files, List<String> texts, int threads,
                                           QuantConfig config) throws OrtException {
        Path textFile = PackageTexts.write(BenchmarkFolders.work(), "calibration-" + texts.size() + ".txt", texts);
        Calibrator calibrator = new Calibrator(model, QdqQuantizer.tensorsToCalibrate(model), threads,
                config.calibrationParameters().numBins());
        try (SampleSource samples = SampleSources.open(textFile, model,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false))) {
            return calibrator.calibrate(samples);
        }
    }
}
