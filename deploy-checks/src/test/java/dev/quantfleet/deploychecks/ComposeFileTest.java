package dev.quantfleet.deploychecks;

import dev.quantfleet.common.messages.S3ObjectEvent;
import dev.quantfleet.common.topics.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks docker-compose.yml: that docker-compose accepts it where the binary exists, and that
 * its topics, bucket, ports and variables are the ones the code uses.
 */
class ComposeFileTest {

    private static final String COORDINATOR = "coordinator";
    private static final String WORKER = "worker";
    private static final long COMPOSE_TIMEOUT_SECONDS = 60;

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void dockerComposeAcceptsTheFile() throws IOException, InterruptedException {
        Optional<Path> binary = Manifests.onPath("docker-compose");
        assumeTrue(binary.isPresent(), "Skipping: docker-compose is not on the PATH (Debian package docker-compose; "
                + ".ci/run installs it when it runs as root); the other checks still parse the file");

        Process process = new ProcessBuilder(binary.get().toString(), "-f", "docker-compose.yml", "config", "--quiet")
                .directory(ProjectFiles.root().toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(COMPOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("docker-compose config finished")
                .isTrue();
        assertThat(process.exitValue()).as("exit code of docker-compose config; output:\n" + output).isZero();
    }

    @Test
    void fileFitsDockerCompose129() {
        assertThat(compose.root()).as("top-level keys").doesNotContainKeys("name", "version");
        assertThat(compose.services()).as("services").containsKeys("kafka", "kafka-topics", "minio", "minio-setup",
                COORDINATOR, WORKER, "kafka-exporter", "prometheus", "grafana");
    }

    @Test
    void topicJobCreatesEveryTopicOfThePools() {
        Set<String> created = new TreeSet<>();
        created.addAll(words(compose.variable("kafka-topics", "FLEET_TOPICS").orElse("")));
        created.addAll(words(compose.variable("kafka-topics", "TASK_TOPICS").orElse("")));

        assertThat(created).as("topics of the kafka-topics job").isEqualTo(FleetNames.allTopics(coordinatorPools()));
        assertThat(words(compose.variable("kafka-topics", "TASK_TOPICS").orElse(""))).as("task topics")
                .allSatisfy(topic -> assertThat(Topics.poolOf(topic)).isPresent());
        assertThat(String.valueOf(compose.service("kafka-topics").get("command")))
                .as("command of the kafka-topics job").contains("$$FLEET_TOPICS", "$$TASK_TOPICS", "--if-not-exists");
        assertThat(String.valueOf(compose.service("kafka").get("image"))).as("Kafka image, the version of the "
                + "project's Kafka clients").isEqualTo("apache/kafka:" + ProjectFiles.pomProperty("kafka.version"));
    }

    @Test
    void minioNotifiesModelEvents() {
        Map<String, String> minio = compose.environment("minio");
        Map<String, String> setup = compose.environment("minio-setup");

        assertThat(minio).as("MinIO Kafka notification target 'PRIMARY'")
                .containsEntry("MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY", "on")
                .containsEntry("MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY", Topics.MODEL_EVENTS)
                .containsEntry("MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY", coordinator("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(setup).as("minio-setup job")
                .containsEntry("NOTIFICATION_TARGET", "arn:minio:sqs::PRIMARY:kafka")
                .containsEntry("MODELS_PREFIX", S3ObjectEvent.MODELS_PREFIX)
                .containsEntry("BUCKET", coordinator("QUANTFLEET_S3_BUCKET"));
        assertThat(String.valueOf(compose.service("minio-setup").get("command"))).as("command of minio-setup")
                .contains("mc mb --ignore-existing \"local/$$BUCKET\"")
                .contains("--event put --prefix \"$$MODELS_PREFIX\"");
    }

    @Test
    void coordinatorReadsTheNotifiedModels() {
        ServiceSettings settings = ServiceSettings.coordinator();
        String prefix = compose.variable(COORDINATOR, "QUANTFLEET_COORDINATOR_MODEL_EVENTS_MODELS_PREFIX")
                .or(() -> settings.defaultValue("quantfleet.coordinator.model-events.models-prefix")).orElseThrow();
        String bucket = compose.variable(COORDINATOR, "QUANTFLEET_COORDINATOR_MODEL_EVENTS_BUCKET")
                .orElse(coordinator("QUANTFLEET_S3_BUCKET"));

        assertThat(coordinator("QUANTFLEET_COORDINATOR_MODEL_EVENTS_ENABLED")).as("model events of the coordinator")
                .isEqualTo("true");
        assertThat(prefix).as("models prefix of the coordinator")
                .isEqualTo(compose.variable("minio-setup", "MODELS_PREFIX").orElseThrow());
        assertThat(bucket).as("bucket of the coordinator's model events")
                .isEqualTo(compose.variable("minio-setup", "BUCKET").orElseThrow());
    }

    @Test
    void workersAndCoordinatorShareStoreAndBroker() {
        assertThat(coordinator("QUANTFLEET_KAFKA_BOOTSTRAP_SERVERS")).as("coordinator bootstrap servers")
                .isEqualTo(coordinator("KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(coordinator("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS"))
                .isEqualTo(worker("KAFKA_BOOTSTRAP_SERVERS"));
        for (String store : List.of("ENDPOINT", "REGION", "BUCKET", "PREFIX", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY")) {
            assertThat(worker("QUANTFLEET_WORKER_S3_" + store)).as("worker S3 " + store)
                    .isEqualTo(coordinator("QUANTFLEET_S3_" + store));
        }
        assertThat(coordinator("QUANTFLEET_S3_ENDPOINT")).as("S3 endpoint").isEqualTo("http://minio:9000");
        assertThat(Set.of(worker("QUANTFLEET_WORKER_POOL"))).as("worker pools").isEqualTo(coordinatorPools());
    }

    @Test
    void variablesAreSettingsTheServicesRead() {
        checkVariables(COORDINATOR, ServiceSettings.coordinator());
        checkVariables(WORKER, ServiceSettings.worker());
    }

    @Test
    void workersScaleAndFinishTheirTaskOnStop() {
        Map<String, Object> worker = compose.service(WORKER);
        Duration shutdownTimeout = Durations.parse(worker("QUANTFLEET_WORKER_SHUTDOWN_TIMEOUT"));
        Duration taskTimeout = Durations.parse(worker("QUANTFLEET_WORKER_TASK_TIMEOUT"));
        Duration roundDeadline = Duration.ofMillis(Long.parseLong(compose.variable(COORDINATOR,
                "QUANTFLEET_SEARCH_ROUND_DEADLINE_MS").or(() -> ServiceSettings.coordinator()
                .defaultValue("quantfleet.search.round-deadline-ms")).orElseThrow()));

        assertThat(worker).as("worker service, which --scale starts several times")
                .doesNotContainKeys("container_name", "ports", "hostname");
        assertThat(Durations.parse(String.valueOf(worker.get("stop_grace_period"))))
                .as("worker stop_grace_period against shutdown-timeout plus " + FleetNames.WORKER_SHUTDOWN_SLACK)
                .isGreaterThan(shutdownTimeout.plus(FleetNames.WORKER_SHUTDOWN_SLACK));
        assertThat(shutdownTimeout).as("worker shutdown-timeout against task-timeout")
                .isGreaterThanOrEqualTo(taskTimeout);
        assertThat(roundDeadline).as("coordinator round deadline against the worker task-timeout")
                .isGreaterThanOrEqualTo(taskTimeout);
    }

    @Test
    void imagesAndPortsMatchDeploy() {
        for (String service : List.of(COORDINATOR, WORKER)) {
            String image = String.valueOf(compose.service(service).get("image"));
            String dockerfile = Maps.text(compose.service(service), "build", "dockerfile");
            assertThat(Images.DOCKERFILES).as("Dockerfile of " + service).containsEntry(image.replaceAll(":.*", ""),
                    dockerfile);
            assertThat(Maps.text(compose.service(service), "build", "context")).as("build context of " + service)
                    .isEqualTo(".");
        }
        String httpPort = Images.dockerfileOf(String.valueOf(compose.service(COORDINATOR).get("image"))).runtime()
                .environment().get("QUARKUS_HTTP_PORT");
        assertThat(Maps.list(compose.service(COORDINATOR), "ports")).as("published ports of the coordinator")
                .containsExactly("127.0.0.1:8080:" + httpPort);

        compose.services().forEach((name, service) -> assertThat(Maps.list(service, "ports"))
                .as("published ports of " + name).allSatisfy(port ->
                        assertThat(String.valueOf(port)).startsWith("127.0.0.1:")));
    }

    private void checkVariables(String service, ServiceSettings settings) {
        for (String variable : compose.environment(service).keySet()) {
            if (variable.startsWith("QUANTFLEET_")) {
                assertThat(settings.propertyOfVariable(variable)).as(service + " sets " + variable
                        + ", which matches no setting of the service").isPresent();
            } else {
                assertThat(variable).as(service + " environment variable").matches("(KAFKA|QUARKUS)_[A-Z0-9_]+");
            }
        }
    }

    private Set<String> coordinatorPools() {
        return Arrays.stream(coordinator("QUANTFLEET_POOLS").split(",")).map(String::strip)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private String coordinator(String variable) {
        return compose.variable(COORDINATOR, variable)
                .orElseThrow(() -> new AssertionError("The coordinator service sets no " + variable));
    }

    private String worker(String variable) {
        return compose.variable(WORKER, variable)
                .orElseThrow(() -> new AssertionError("The worker service sets no " + variable));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
