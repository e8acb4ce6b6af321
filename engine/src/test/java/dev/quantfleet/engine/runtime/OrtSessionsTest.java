package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OrtSessionsTest {

    @Test
    void sessionRunsModelFromBytes() throws Exception {
        byte[] model = TinyModels.matMulRelu(new float[] {1f, -1f, 2f, 0.5f}, 2, 2).toByteArray();

        try (OrtSession session = OrtSessions.create(model, 1, OptLevel.ALL_OPT);
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), new float[][] {{1f, 2f}});
             OrtSession.Result result = session.run(Map.of("x", x))) {
            float[][] y = (float[][]) result.get("y").orElseThrow().getValue();

            assertThat(session.getInputNames()).containsExactly("x");
            assertThat(y[0][0]).isCloseTo(5f, within(1e-6f));
            assertThat(y[0][1]).isZero();
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThatThrownBy(() -> OrtSessions.options(0, OptLevel.NO_OPT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads is 0");
    }

    @Test
    void provenanceDescribesThisProcess() {
        Provenance provenance = Provenance.current(2);

        assertThat(provenance.quantfleetVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(provenance.onnxRuntimeVersion()).startsWith("1.");
        assertThat(provenance.executionProvider()).isEqualTo("CPUExecutionProvider");
        assertThat(provenance.threads()).isEqualTo(2);
        assertThat(provenance.cpuFeatures()).startsWith(System.getProperty("os.arch"));
    }

    @Test
    void cpuFeaturesKeepSimdFlagsSorted(@TempDir Path folder) throws Exception {
        Path cpuinfo = folder.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu avx2 sse4_2 avx512f tsc fma\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n");

        assertThat(Provenance.readCpuFeatures(cpuinfo))
                .isEqualTo(System.getProperty("os.arch") + ": avx2 avx512f fma sse4_2");
    }

    @Test
    void cpuFeaturesWithoutCpuinfoAreTheArchitecture(@TempDir Path folder) {
        assertThat(Provenance.readCpuFeatures(folder.resolve("missing"))).isEqualTo(System.getProperty("os.arch"));
    }
}
