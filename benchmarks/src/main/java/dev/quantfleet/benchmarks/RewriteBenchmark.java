package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantizationResult;

import java.util.List;

/**
 * Times the {@code a8w8} QDQ rewrite of all-MiniLM-L6-v2 without calibration: the activation
 * ranges come from one calibration on the first 64 package synopses, done before the clock
 * starts. Each repetition times {@link QdqQuantizer#quantize} (opset conversion 11 to 13,
 * weight quantization, Q/DQ insertion) and {@link ModelIo#toBytes} (protobuf serialization to
 * memory, no disk), after a {@code System.gc()} so that garbage from the previous repetition is
 * not collected on its clock. The first repetitions warm up the JIT and are not counted.
 *
 * <p>Arguments: measured repetitions (default 10), warm-up repetitions (default 3), threads
 * for the calibration beforehand (default 2). Target: median under 2 s.
 */
public final class RewriteBenchmark {

    private static final double TARGET_MS = 2000;

    private RewriteBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int repetitions = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 10;
        int warmUps = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 3;
        int threads = arguments.length > 2 ? Integer.parseInt(arguments[2]) : 2;

        BenchmarkReport report = new BenchmarkReport("rewrite.md", "a8w8 QDQ rewrite of all-MiniLM-L6-v2", threads);
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        ModelProto model = files.loadFp32Model();
        QuantConfig config = Presets.byName("a8w8");
        List<String> texts = PackageTexts.slice(PackageTexts.synopses(), 0, MiniLmCalibration.CALIBRATION_TEXTS);
        CalibrationStatistics statistics = MiniLmCalibration.calibrate(model, files, texts, threads, config);
        ActivationRanges ranges = ActivationRanges.fromStatistics(statistics, config);

        double[] quantizeMs = new double[repetitions];
        double[] serializeMs = new double[repetitions];
        double[] totalMs = new double[repetitions];
        int outputBytes = 0;
        for (int repetition = -warmUps; repetition < repetitions; repetition++) {
            System.gc();
            long start = System.nanoTime();
            QuantizationResult result = QdqQuantizer.quantize(model, config, ranges);
            long quantized = System.nanoTime();
            byte[] bytes = ModelIo.toBytes(result.model());
            long serialized = System.nanoTime();
            outputBytes = bytes.length;
            if (repetition >= 0) {
                quantizeMs[repetition] = (quantized - start) / 1e6;
                serializeMs[repetition] = (serialized - quantized) / 1e6;
                totalMs[repetition] = (serialized - start) / 1e6;
            }
        }

        report.add(String.format("Input: %s, %d nodes, %d bytes. Output: %d bytes. Ranges from %d calibration "
                        + "texts, calibrated once before timing. %d warm-up repetitions, then %d measured.",
                files.fp32Model().getFileName(), model.getGraph().getNodeCount(), model.getSerializedSize(),
                outputBytes, texts.size(), warmUps, repetitions));
        Distribution total = Distribution.of(totalMs);
        report.add(new MarkdownTable("Step", "Median ms", "IQR ms", "Min ms", "Max ms")
                .row(timingRow("QdqQuantizer.quantize", Distribution.of(quantizeMs)))
                .row(timingRow("ModelIo.toBytes", Distribution.of(serializeMs)))
                .row(timingRow("total", total)));
        report.add(String.format("Target: median total under %.0f ms: %s (median %.0f ms, min %.0f ms, max %.0f ms).",
                TARGET_MS, total.median() < TARGET_MS ? "met" : "MISSED", total.median(), total.min(), total.max()));
        report.write();
    }

    private static Object[] timingRow(String step, Distribution milliseconds) {
        return new Object[] {step, String.format("%.0f", milliseconds.median()),
                String.format("%.0f–%.0f", milliseconds.p25(), milliseconds.p75()),
                String.format("%.0f", milliseconds.min()), String.format("%.0f", milliseconds.max())};
    }
}
