package dev.quantfleet.deploychecks;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Kubernetes manifests parsed into fabric8 model objects: typed classes for the built-in kinds
 * and {@link GenericKubernetesResource} for custom resources (KEDA, Prometheus Operator,
 * Strimzi). Rendering runs {@code kubectl kustomize}.
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final long KUBECTL_TIMEOUT_SECONDS = 60;

    private final List<HasMetadata> resources;

    private Manifests(List<HasMetadata> resources) {
        this.resources = List.copyOf(resources);
    }

    /** Parses every YAML document of {@code yaml}. Errors name {@code source}. */
    static Manifests parse(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata resource)) {
                throw new AssertionError(source + ": a document parsed as " + parsed.getClass().getName()
                        + ", not as a Kubernetes resource:\n" + document);
            }
            resources.add(resource);
        }
        return new Manifests(resources);
    }

    /** Returns the path of kubectl on the PATH, or empty when it is missing. */
    static Optional<Path> kubectl() {
        return onPath("kubectl");
    }

    /** Returns the first executable file named {@code command} in the folders of the PATH. */
    static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty())
                .map(folder -> Path.of(folder, command))
                .filter(path -> path.toFile().canExecute())
                .findFirst();
    }

    /**
     * Renders the kustomization in {@code folder} with {@code kubectl kustomize} and parses the output.
     *
     * @throws AssertionError with kubectl's error output when it fails
     */
    static Manifests render(Path kubectl, Path folder) {
        ProcessBuilder builder = new ProcessBuilder(kubectl.toString(), "kustomize", folder.toString());
        builder.redirectErrorStream(false);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            byte[] errors = process.getErrorStream().readAllBytes();
            if (!process.waitFor(KUBECTL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + folder + " timed out after "
                        + KUBECTL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + folder + " failed with exit code " + process.exitValue()
                        + ": " + new String(errors, StandardCharsets.UTF_8));
            }
            return parse(new String(output, StandardCharsets.UTF_8), "kubectl kustomize " + folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running kubectl kustomize " + folder, e);
        }
    }

    List<HasMetadata> all() {
        return resources;
    }

    /** Returns the resources of {@code type}, e.g. every Deployment. */
    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Returns the custom resources of {@code kind}, e.g. {@code ScaledObject}. */
    List<GenericKubernetesResource> custom(String kind) {
        return ofType(GenericKubernetesResource.class).stream().filter(resource -> kind.equals(resource.getKind()))
                .toList();
    }

    /** Returns the resource of {@code type} named {@code name}. */
    <T extends HasMetadata> T named(Class<T> type, String name) {
        return ofType(type).stream().filter(resource -> name.equals(resource.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " named " + name + " among "
                        + ofType(type).stream().map(resource -> resource.getMetadata().getName()).toList()));
    }
}
