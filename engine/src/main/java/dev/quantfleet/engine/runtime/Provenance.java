package dev.quantfleet.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The software and hardware facts that a measured number depends on: two runs with equal
 * provenance and equal inputs are expected to give equal results.
 *
 * @param quantfleetVersion  the engine version, from the build
 * @param onnxRuntimeVersion the version that the loaded ONNX Runtime native library reports
 * @param executionProvider  the ONNX Runtime execution provider, e.g. {@code CPUExecutionProvider}
 * @param threads            intra-op threads per session
 * @param cpuFeatures        the processor architecture followed by the SIMD flags that select
 *                           ONNX Runtime kernels, e.g. {@code amd64: avx avx2 avx512f fma}
 * @param device             the hardware the execution provider runs on, as
 *                           {@link ExecutionProvider#device()} describes it, e.g. {@code cpu};
 *                           null where the producer did not record it
 */
public record Provenance(String quantfleetVersion, String onnxRuntimeVersion, String executionProvider,
                         int threads, String cpuFeatures, String device) {

    /** Flags of /proc/cpuinfo whose presence changes which kernels ONNX Runtime runs. */
    private static final List<String> SIMD_FLAG_PREFIXES = List.of(
            "sse", "ssse3", "avx", "fma", "f16c", "amx", "asimd", "sve", "i8mm", "bf16", "fphp", "dotprod");

    private static final Set<String> CPUINFO_FLAG_KEYS = Set.of("flags", "features");

    /** Provenance without a recorded device, as producers wrote it before the device was recorded. */
    public Provenance(String quantfleetVersion, String onnxRuntimeVersion, String executionProvider, int threads,
                      String cpuFeatures) {
        this(quantfleetVersion, onnxRuntimeVersion, executionProvider, threads, cpuFeatures, null);
    }

    /** Describes this process with the CPU execution provider and {@code threads} intra-op threads. */
    public static Provenance current(int threads) {
        return current(ExecutionProvider.cpu(), threads);
    }

    /** Describes this process with {@code provider}, its device and {@code threads} intra-op threads. */
    public static Provenance current(ExecutionProvider provider, int threads) {
        return new Provenance(readQuantfleetVersion(), OrtSessions.environment().getVersion(), provider.name(),
                threads, readCpuFeatures(Path.of("/proc/cpuinfo")), provider.device());
    }

    /** The project version written into {@code version.properties} at build time. */
    static String readQuantfleetVersion() {
        try (InputStream stream = Provenance.class.getResourceAsStream("version.properties")) {
            if (stream == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(stream);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the bundled version.properties", e);
        }
    }

    /**
     * Returns {@code os.arch}, then a colon and the SIMD flags of the first processor listed in
     * {@code cpuinfo}, sorted; only {@code os.arch} where the file is missing or lists no flags.
     */
    static String readCpuFeatures(Path cpuinfo) {
        String arch = System.getProperty("os.arch");
        if (!Files.isReadable(cpuinfo)) {
            return arch;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + cpuinfo, e);
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || !CPUINFO_FLAG_KEYS.contains(line.substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
                continue;
            }
            List<String> simdFlags = new ArrayList<>();
            for (String flag : line.substring(colon + 1).trim().split("\\s+")) {
                if (SIMD_FLAG_PREFIXES.stream().anyMatch(flag::startsWith)) {
                    simdFlags.add(flag);
                }
            }
            simdFlags.sort(null);
            return simdFlags.isEmpty() ? arch : arch + ": " + String.join(" ", simdFlags);
        }
        return arch;
    }
}
