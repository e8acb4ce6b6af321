package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ExecutionProvider} on this machine, which has ONNX Runtime's CPU provider only: the
 * CPU provider changes no number, and plugin libraries that cannot load fail with their cause.
 */
class ExecutionProviderTest {

    @Test
    void cpuProviderGivesBitIdenticalOutputs() throws Exception {
        byte[] model = TinyModels.matMulChain(16, 8, 11).toByteArray();
        float[][] input = new float[3][16];
        Random random = new Random(13);
        for (float[] row : input) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }

        float[][] plain = run(OrtSessions.create(model, 2, OptLevel.ALL_OPT), input);
        float[][] withCpu = run(OrtSessions.create(model, 2, OptLevel.ALL_OPT, ExecutionProvider.cpu()), input);

        for (int row = 0; row < input.length; row++) {
            for (int column = 0; column < 16; column++) {
                assertThat(Float.floatToRawIntBits(withCpu[row][column]))
                        .as("y[%d][%d]", row, column).isEqualTo(Float.floatToRawIntBits(plain[row][column]));
            }
        }
    }

    @Test
    void cpuProviderDescribesItself() {
        ExecutionProvider cpu = ExecutionProvider.cpu();

        assertThat(cpu.name()).isEqualTo("CPUExecutionProvider").isEqualTo(OrtSessions.CPU_EXECUTION_PROVIDER);
        assertThat(cpu.device()).isEqualTo("cpu");
        assertThat(cpu.isCpu()).isTrue();
        assertThat(cpu.library()).isEmpty();
        assertThat(cpu.options()).isEmpty();
    }

    @Test
    void provenanceRecordsProviderAndDevice() {
        Provenance provenance = Provenance.current(ExecutionProvider.cpu(), 3);

        assertThat(provenance.executionProvider()).isEqualTo("CPUExecutionProvider");
        assertThat(provenance.device()).isEqualTo("cpu");
        assertThat(provenance.threads()).isEqualTo(3);
    }

    @Test
    void missingLibraryIsRejected(@TempDir Path folder) {
        Path missing = folder.resolve("libonnxruntime_providers_migraphx.so");

        assertThatThrownBy(() -> ExecutionProvider.loadPlugin(ExecutionProvider.MIGRAPHX_NAME, missing, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist or is not a readable file");
    }

    @Test
    void nonLibraryFileFailsInOnnxRuntime(@TempDir Path folder) throws Exception {
        Path text = Files.writeString(folder.resolve("libonnxruntime_providers_migraphx.so"), "not a library\n");

        assertThatThrownBy(() -> ExecutionProvider.loadPlugin(ExecutionProvider.MIGRAPHX_NAME, text,
                Map.of("device_id", "0")))
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("Failed to load library")
                .hasMessageContaining(text.toString());
        assertThatThrownBy(() -> ExecutionProvider.loadPlugin(ExecutionProvider.MIGRAPHX_NAME, text, Map.of()))
                .as("a failed load registers nothing, so a second try fails the same way")
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("Failed to load library");
    }

    private static float[][] run(OrtSession session, float[][] input) throws OrtException {
        try (session; OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), input);
             OrtSession.Result result = OrtSessions.run(session, Map.of("x", x))) {
            return (float[][]) result.get("y").orElseThrow().getValue();
        }
    }
}
