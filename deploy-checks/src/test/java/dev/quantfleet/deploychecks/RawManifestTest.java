package dev.quantfleet.deploychecks;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses every manifest file under k8s/ as it is written, without kubectl: the base, the overlays'
 * own resources and patches, and the components. Unlike the rendered overlays, these checks run
 * on every machine.
 */
class RawManifestTest {

    static Stream<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ProjectFiles.resolve("k8s"))) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !file.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("manifestFiles")
    void manifestParsesWithoutUnknownFields(Path file) {
        Manifests manifests = Manifests.parse(ProjectFiles.read(file), file.toString());

        assertThat(manifests.all()).as("resources in " + file).isNotEmpty();
        for (HasMetadata resource : manifests.all()) {
            String id = KustomizeOverlayTest.id(resource) + " in " + file;
            assertThat(resource.getMetadata().getName()).as("name of a " + resource.getKind() + " in " + file)
                    .isNotBlank();
            assertThat(UnknownFields.of(resource)).as("fields of " + id + " that the fabric8 model lacks").isEmpty();
            if (resource instanceof GenericKubernetesResource) {
                assertThat(KustomizeOverlayTest.CUSTOM_KINDS).as("custom resource kind of " + id)
                        .contains(resource.getKind());
            }
        }
    }

    @Test
    void manifestFilesIncludeBaseOverlaysAndComponents() throws IOException {
        List<String> files = manifestFiles().map(file -> ProjectFiles.root().relativize(file).toString()).toList();

        assertThat(files).contains("k8s/base/coordinator.yaml", "k8s/base/worker-cpu.yaml",
                "k8s/overlays/amd-gpu/worker-rocm.yaml", "k8s/components/strimzi-topics/kafka-topics.yaml");
    }

    @Test
    void unknownFieldsNamesTheMisspelledField() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: example
                spec:
                  selector:
                    matchLabels: {app: example}
                  template:
                    metadata:
                      labels: {app: example}
                    spec:
                      containers:
                        - name: example
                          image: example:1
                          livenesProbe:
                            httpGet: {path: /q/health/live, port: http}
                """;

        HasMetadata parsed = Manifests.parse(deployment, "inline").all().get(0);

        assertThat(UnknownFields.of(parsed)).containsExactly("spec.template.spec.containers[0].livenesProbe");
    }
}
