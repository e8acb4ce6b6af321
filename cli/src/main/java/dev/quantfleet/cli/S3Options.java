package dev.quantfleet.cli;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * The S3 options of the commands that upload to or download from a fleet's artifact store. The
 * credentials come only from {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, so that
 * they stay out of the shell history and the process list.
 */
final class S3Options {

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3 endpoint of the fleet's artifact store (default: $AWS_ENDPOINT_URL_S3, else "
                    + "$AWS_ENDPOINT_URL). Credentials are read from $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY.")
    String endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "Signing region (default: $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1).")
    String region;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "quantfleet",
            description = "Bucket of the artifact store (default: ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "quantfleet",
            description = "Key prefix of every artifact, as the fleet's services use it (default: ${DEFAULT-VALUE}).")
    String prefix;

    /**
     * Opens the artifact store these options and {@code environment} describe.
     *
     * @throws InvalidInputException naming the missing or invalid setting and how to give it
     */
    ArtifactStore open(Map<String, String> environment) {
        String endpointUrl = firstOf(endpoint, environment.get("AWS_ENDPOINT_URL_S3"),
                environment.get("AWS_ENDPOINT_URL"));
        if (endpointUrl == null) {
            throw new InvalidInputException("Missing S3 endpoint of the fleet's artifact store: pass --s3-endpoint URL "
                    + "or set AWS_ENDPOINT_URL_S3, for example http://127.0.0.1:9000");
        }
        String signingRegion = firstOf(region, environment.get("AWS_REGION"), environment.get("AWS_DEFAULT_REGION"),
                "us-east-1");
        String accessKeyId = requiredVariable(environment, "AWS_ACCESS_KEY_ID");
        String secretAccessKey = requiredVariable(environment, "AWS_SECRET_ACCESS_KEY");
        ArtifactStoreConfig config;
        try {
            config = ArtifactStoreConfig.of(FleetConnectionOptions.requireHttpUrl("--s3-endpoint", endpointUrl),
                    signingRegion, bucket, prefix, accessKeyId, secretAccessKey);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid S3 settings: " + e.getMessage(), e);
        }
        return ArtifactStore.open(config);
    }

    private static String requiredVariable(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("Missing environment variable " + name + " for the fleet's S3 artifact "
                    + "store; set it to the credentials the fleet's services use");
        }
        return value;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
