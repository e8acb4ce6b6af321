package dev.quantfleet.deploychecks;

import dev.quantfleet.common.topics.Topics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders the overlays with the optional Strimzi components of k8s/components, as an operator
 * would add them. The KafkaTopics must cover every topic that the rendered fleet uses. Their
 * partition counts must keep the aggregator's join working and bound KEDA's replica counts.
 */
class StrimziTopicsTest {

    @Test
    void cpuOverlayTopicsCoverTheFleet() throws IOException {
        checkTopics("cpu", "strimzi-topics");
    }

    @Test
    void amdGpuOverlayTopicsCoverTheFleet() throws IOException {
        checkTopics("amd-gpu", "strimzi-topics", "strimzi-topics-rocm");
    }

    private static void checkTopics(String overlay, String... components) throws IOException {
        Optional<Path> kubectl = Manifests.kubectl();
        assumeTrue(kubectl.isPresent(), "Skipping: kubectl is not on the PATH, so the Strimzi components are not "
                + "rendered (RawManifestTest still parses their files)");
        RenderedFleet fleet = new RenderedFleet(Manifests.render(kubectl.get(), withComponents(overlay, components)));
        Set<String> pools = fleet.workers().stream().map(RenderedFleet::pool)
                .collect(Collectors.toCollection(TreeSet::new));

        Map<String, Integer> partitions = new TreeMap<>();
        for (GenericKubernetesResource topic : fleet.manifests().custom("KafkaTopic")) {
            Map<String, Object> resource = topic.getAdditionalProperties();
            String name = Maps.text(resource, "spec", "topicName");
            assertThat(topic.getMetadata().getName()).as("name of the KafkaTopic of " + name).isEqualTo(name);
            assertThat(topic.getMetadata().getLabels()).as("labels of KafkaTopic " + name)
                    .containsKey("strimzi.io/cluster");
            int replicas = Integer.parseInt(Maps.text(resource, "spec", "replicas"));
            int minInSync = Integer.parseInt(Maps.text(resource, "spec", "config", "min.insync.replicas"));
            assertThat(replicas).as("replicas of " + name + ": one broker may fail without blocking writes")
                    .isGreaterThan(minInSync);
            partitions.put(name, Integer.parseInt(Maps.text(resource, "spec", "partitions")));
        }

        assertThat(partitions.keySet()).as("KafkaTopics of " + overlay).isEqualTo(FleetNames.allTopics(pools));
        assertThat(partitions.get(Topics.RESULTS)).as("partitions of " + Topics.RESULTS + ", co-partitioned with "
                + Topics.ROUND_PLANS).isEqualTo(partitions.get(Topics.ROUND_PLANS));
        assertThat(partitions.get(Topics.RESULTS)).as("partitions of " + Topics.RESULTS
                + ", which the coordinator would create with quantfleet.kafka.partitions")
                .isEqualTo(Integer.parseInt(KustomizeOverlayTest.coordinatorSetting(fleet,
                        "quantfleet.kafka.partitions")));
        for (Deployment worker : fleet.workers()) {
            String topic = Topics.tasks(RenderedFleet.pool(worker));
            GenericKubernetesResource scaled = fleet.scaledObjectOf(worker).orElseThrow();
            assertThat(partitions.get(topic)).as("partitions of " + topic + ", the most workers that consume it")
                    .isGreaterThanOrEqualTo(Integer.parseInt(Maps.text(scaled.getAdditionalProperties(), "spec",
                            "maxReplicaCount")));
        }
    }

    /** Writes a kustomization below target/ that adds {@code components} to the overlay, and returns its folder. */
    private static Path withComponents(String overlay, String... components) throws IOException {
        Path folder = Path.of("target", "kustomize-" + overlay + "-strimzi").toAbsolutePath();
        Files.createDirectories(folder);
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        kustomization.append("  - ").append(relative(folder, "k8s/overlays/" + overlay)).append('\n');
        kustomization.append("components:\n");
        for (String component : components) {
            kustomization.append("  - ").append(relative(folder, "k8s/components/" + component)).append('\n');
        }
        Files.writeString(folder.resolve("kustomization.yaml"), kustomization, StandardCharsets.UTF_8);
        return folder;
    }

    private static String relative(Path from, String projectPath) {
        return from.relativize(ProjectFiles.resolve(projectPath)).toString();
    }
}
