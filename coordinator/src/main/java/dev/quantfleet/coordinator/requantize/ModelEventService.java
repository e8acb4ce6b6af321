package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.coordinator.service.CoordinatorConfig;
import dev.quantfleet.coordinator.service.CoordinatorService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Starts the {@link ModelEventRuntime} inside Quarkus when
 * {@code quantfleet.coordinator.model-events.enabled} is true and the search loop runs. It starts
 * after {@link CoordinatorService}, whose artifact store it uses and whose start creates the topics.
 */
@ApplicationScoped
public class ModelEventService {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEventService.class);

    private final ModelEventSettings settings;
    private final CoordinatorConfig config;
    private final CoordinatorService coordinator;
    private ModelEventRuntime runtime;

    public ModelEventService(ModelEventSettings settings, CoordinatorConfig config, CoordinatorService coordinator) {
        this.settings = settings;
        this.config = config;
        this.coordinator = coordinator;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Re-quantization on model events is off (quantfleet.coordinator.model-events.enabled=false)");
            return;
        }
        if (!config.enabled()) {
            LOG.warn("Re-quantization on model events needs the search loop, which is off (quantfleet.enabled=false)");
            return;
        }
        Path workDir = Path.of(config.cacheDir().orElse(System.getProperty("java.io.tmpdir")
                + "/quantfleet-coordinator"), "model-imports");
        runtime = ModelEventRuntime.start(coordinator.kafkaClientProperties(), coordinator.store(), workDir,
                settings.toConfig(config.s3().bucket()));
    }

    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) ShutdownEvent event) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
