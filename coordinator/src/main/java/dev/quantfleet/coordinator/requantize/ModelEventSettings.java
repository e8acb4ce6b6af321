package dev.quantfleet.coordinator.requantize;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The {@code quantfleet.coordinator.model-events.*} properties: re-quantization on new model versions. */
@ConfigMapping(prefix = "quantfleet.coordinator.model-events")
public interface ModelEventSettings {

    /** Whether the coordinator reads {@code quantfleet.model-events} and re-runs searches for new model versions. */
    @WithDefault("false")
    boolean enabled();

    /** Bucket whose notifications count; unset for the artifact bucket ({@code quantfleet.s3.bucket}). */
    Optional<String> bucket();

    /** Key prefix of the model folders {@code <prefix><name>/<version>/<file>}, ending with {@code /}. */
    @WithDefault("models/")
    String modelsPrefix();

    /** Kafka consumer group whose committed offsets mark the model events already handled. */
    @WithDefault("quantfleet-coordinator-model-events")
    String consumerGroup();

    /** Returns the checked settings, with {@code artifactBucket} where no bucket is set. */
    default ModelEventConfig toConfig(String artifactBucket) {
        return new ModelEventConfig(bucket().orElse(artifactBucket), modelsPrefix(), consumerGroup());
    }
}
