package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.runtime.Provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The facts a benchmark number depends on: processors, CPU model and SIMD flags, Java and ONNX
 * Runtime versions, intra-op threads, maximum heap, and the load average when the benchmark
 * started, which shows whether other processes shared the processors.
 *
 * @param processors         {@link Runtime#availableProcessors()}, what {@code nproc} prints
 * @param cpuModel           the first {@code model name} of {@code /proc/cpuinfo}, or {@code unknown}
 * @param javaVersion        {@code java.runtime.version} and {@code java.vm.name}
 * @param maxHeapBytes       {@link Runtime#maxMemory()}
 * @param provenance         engine and ONNX Runtime versions, execution provider, threads, SIMD flags
 * @param loadAverage        {@link #readLoadAverage()} when the description was made
 */
public record MachineDescription(int processors, String cpuModel, String javaVersion, long maxHeapBytes,
                                 Provenance provenance, String loadAverage) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    public static MachineDescription current(int threads) {
        return new MachineDescription(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")",
                Runtime.getRuntime().maxMemory(), Provenance.current(threads), readLoadAverage());
    }

    /**
     * Returns the 1, 5 and 15 minute load averages of {@code /proc/loadavg}, e.g. {@code 2.10 1.95 1.80},
     * or {@code unknown} where the file is missing. Above the processor count, other processes
     * competed for the processors.
     */
    public static String readLoadAverage() {
        if (!Files.isReadable(LOADAVG)) {
            return "unknown";
        }
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + LOADAVG, e);
        }
    }

    public String toMarkdown() {
        return new MarkdownTable("Machine", "Value")
                .row("processors (nproc)", processors)
                .row("CPU model", cpuModel)
                .row("CPU features", provenance.cpuFeatures())
                .row("Java", javaVersion)
                .row("max heap", String.format("%.0f MiB", maxHeapBytes / 1048576.0))
                .row("ONNX Runtime", provenance.onnxRuntimeVersion() + ", " + provenance.executionProvider())
                .row("intra-op threads", provenance.threads())
                .row("Quantfleet", provenance.quantfleetVersion())
                .row("load average at start (1, 5, 15 min)", loadAverage)
                .toMarkdown().stripTrailing();
    }

    private static String readCpuModel() {
        if (!Files.isReadable(CPUINFO)) {
            return "unknown";
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(CPUINFO);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + CPUINFO, e);
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }
}
