package dev.quantfleet.worker;

import dev.quantfleet.engine.runtime.ExecutionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ExecutionProviderSelection} on a machine without AMD hardware: the CPU default, and the
 * start-time errors of every wrong {@code migraphx} setting, each naming the setting, the value
 * and the fix.
 */
class ExecutionProviderSelectionTest {

    @Test
    void cpuIsTheCpuProvider() {
        assertThat(ExecutionProviderSelection.select("cpu", Optional.empty(), Map.of()))
                .isSameAs(ExecutionProvider.cpu());
        assertThat(ExecutionProviderSelection.select(" CPU ", Optional.empty(), Map.of()))
                .isSameAs(ExecutionProvider.cpu());
    }

    @Test
    void cpuIgnoresPluginSettings() {
        ExecutionProvider provider = ExecutionProviderSelection.select("cpu", Optional.of("/nowhere/lib.so"),
                Map.of("device_id", "1"));

        assertThat(provider).isSameAs(ExecutionProvider.cpu());
    }

    @Test
    void unknownProviderIsRejected() {
        assertThatThrownBy(() -> ExecutionProviderSelection.select("rocm", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("quantfleet.worker.execution-provider is 'rocm'")
                .hasMessageContaining("[cpu, migraphx]")
                .hasMessageContaining("quantfleet.worker.provider-library");
    }

    @Test
    void providerOptionKeyWithDotIsRejected() {
        assertThatThrownBy(() -> ExecutionProviderSelection.select("migraphx", Optional.of("/opt/lib.so"),
                Map.of("device_id", "1", "device.id", "1")))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("quantfleet.worker.provider-options has the keys [device.id]")
                .hasMessageContaining("system properties");
    }

    @Test
    void providerOptionsInEnvironmentAreRejected() {
        assertThatThrownBy(() -> ExecutionProviderSelection.checkEnvironment(Map.of(
                "QUANTFLEET_WORKER_PROVIDER_OPTIONS_DEVICE_ID", "1", "PATH", "/usr/bin")))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("[QUANTFLEET_WORKER_PROVIDER_OPTIONS_DEVICE_ID]")
                .hasMessageContaining("-Dquantfleet.worker.provider-options.device_id=0");
    }

    @Test
    void environmentWithoutProviderOptionsPasses() {
        assertThatCode(() -> ExecutionProviderSelection.checkEnvironment(Map.of(
                "QUANTFLEET_WORKER_EXECUTION_PROVIDER", "cpu", "PATH", "/usr/bin"))).doesNotThrowAnyException();
    }

    @Test
    void migraphxWithoutLibraryIsRejected() {
        assertThatThrownBy(() -> ExecutionProviderSelection.select("migraphx", Optional.empty(), Map.of()))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("quantfleet.worker.execution-provider is migraphx")
                .hasMessageContaining("quantfleet.worker.provider-library is not set")
                .hasMessageContaining(ExecutionProviderSelection.MIGRAPHX_LIBRARY_EXAMPLE);
    }

    @Test
    void migraphxWithMissingLibraryIsRejected(@TempDir Path folder) {
        String missing = folder.resolve("libonnxruntime_providers_migraphx.so").toString();

        assertThatThrownBy(() -> ExecutionProviderSelection.select("migraphx", Optional.of(missing), Map.of()))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("quantfleet.worker.provider-library is '" + missing + "'")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("correct the path");
    }

    @Test
    void nonLibraryFileIsRejected(@TempDir Path folder) throws Exception {
        Path text = Files.writeString(folder.resolve("libonnxruntime_providers_migraphx.so"), "not a library\n");

        assertThatThrownBy(() -> ExecutionProviderSelection.select("migraphx", Optional.of(text.toString()),
                Map.of("device_id", "0")))
                .isInstanceOf(InvalidWorkerSettingException.class)
                .hasMessageContaining("ONNX Runtime failed to load quantfleet.worker.provider-library '" + text + "'")
                .hasMessageContaining("Failed to load library")
                .hasMessageContaining("MIGraphX plugin execution provider library");
    }
}
