package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactKeys;

/**
 * Settings of the re-quantization on model events.
 *
 * @param bucket        the bucket whose notifications start searches; notifications of other buckets are ignored
 * @param modelsPrefix  key prefix of the model folders {@code <prefix><name>/<version>/<file>}: empty for the
 *                      bucket's root, otherwise a valid key ending with {@code /}, e.g. {@code models/}
 * @param consumerGroup Kafka consumer group of the model events; its committed offsets survive restarts
 */
public record ModelEventConfig(String bucket, String modelsPrefix, String consumerGroup) {

    /** The models prefix of bucket notifications unless configured otherwise. */
    public static final String DEFAULT_MODELS_PREFIX = "models/";

    /** The consumer group unless configured otherwise. */
    public static final String DEFAULT_CONSUMER_GROUP = "quantfleet-coordinator-model-events";

    public ModelEventConfig {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is missing; give the bucket whose notifications start"
                    + " searches, e.g. quantfleet-models");
        }
        if (modelsPrefix == null || !modelsPrefix.isEmpty() && !modelsPrefix.endsWith("/")) {
            throw new IllegalArgumentException("modelsPrefix is '" + modelsPrefix + "'; give a key prefix that ends"
                    + " with '/', e.g. " + DEFAULT_MODELS_PREFIX + ", or an empty one for the bucket's root");
        }
        if (!modelsPrefix.isEmpty()) {
            ArtifactKeys.requireValidKey(modelsPrefix.substring(0, modelsPrefix.length() - 1), "modelsPrefix");
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new IllegalArgumentException("consumerGroup is missing; give a Kafka group id, e.g. "
                    + DEFAULT_CONSUMER_GROUP);
        }
    }

    /** Returns the settings for {@code bucket} with the default prefix and consumer group. */
    public static ModelEventConfig forBucket(String bucket) {
        return new ModelEventConfig(bucket, DEFAULT_MODELS_PREFIX, DEFAULT_CONSUMER_GROUP);
    }
}
