package dev.quantfleet.worker;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the execution provider and time limit settings of {@link WorkerConfig} read from properties and environment variables. */
class WorkerConfigTest {

    @Test
    void defaultsAreCpuAndThirtyMinutes() {
        WorkerConfig config = mapping(Map.of(), Map.of());

        assertThat(config.executionProvider()).isEqualTo("cpu");
        assertThat(config.providerLibrary()).isEmpty();
        assertThat(config.providerOptions()).isEmpty();
        assertThat(config.taskTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void propertiesSetProviderLibraryOptionsAndTimeout() {
        WorkerConfig config = mapping(Map.of(
                "quantfleet.worker.execution-provider", "migraphx",
                "quantfleet.worker.provider-library", "/opt/onnxruntime/lib/libonnxruntime_providers_migraphx.so",
                "quantfleet.worker.provider-options.device_id", "1",
                "quantfleet.worker.task-timeout", "90s"), Map.of());

        assertThat(config.executionProvider()).isEqualTo("migraphx");
        assertThat(config.providerLibrary()).contains("/opt/onnxruntime/lib/libonnxruntime_providers_migraphx.so");
        assertThat(config.providerOptions()).containsExactly(Map.entry("device_id", "1"));
        assertThat(config.taskTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void environmentVariablesSetProviderAndTimeout() {
        WorkerConfig config = mapping(Map.of(), Map.of(
                "QUANTFLEET_WORKER_EXECUTION_PROVIDER", "migraphx",
                "QUANTFLEET_WORKER_PROVIDER_LIBRARY", "/opt/lib.so",
                "QUANTFLEET_WORKER_TASK_TIMEOUT", "45m"));

        assertThat(config.executionProvider()).isEqualTo("migraphx");
        assertThat(config.providerLibrary()).contains("/opt/lib.so");
        assertThat(config.taskTimeout()).isEqualTo(Duration.ofMinutes(45));
    }

    /** Why {@link ExecutionProviderSelection} rejects provider options from environment variables. */
    @Test
    void providerOptionsFromEnvironmentAreUnreliable() {
        WorkerConfig upperCase = mapping(Map.of(), Map.of("QUANTFLEET_WORKER_PROVIDER_OPTIONS_DEVICE_ID", "1"));
        WorkerConfig exactName = mapping(Map.of(), Map.of("quantfleet.worker.provider-options.device_id", "1"));

        assertThat(upperCase.providerOptions()).as("an upper-case name does not say its key, so it is not read")
                .isEmpty();
        assertThat(exactName.providerOptions()).as("an exact name also yields the key with a dot")
                .containsEntry("device_id", "1").containsEntry("device.id", "1");
    }

    private static WorkerConfig mapping(Map<String, String> properties, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("java.io.tmpdir", "/tmp"), "system", 400))
                .withSources(new PropertiesConfigSource(properties, "test.properties", 250))
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(WorkerConfig.class)
                .build();
        return config.getConfigMapping(WorkerConfig.class);
    }
}
