package dev.quantfleet.deploychecks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A rendered Quantfleet deployment, read the way the services read it: a container's settings
 * are the properties files that QUARKUS_CONFIG_LOCATIONS lists, found through the container's
 * volume mounts in the ConfigMaps of the render, overridden by the container's environment.
 */
final class RenderedFleet {

    static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    static final String POOL_LABEL = "quantfleet.dev/pool";

    private final Manifests manifests;

    RenderedFleet(Manifests manifests) {
        this.manifests = manifests;
    }

    Manifests manifests() {
        return manifests;
    }

    List<Deployment> workers() {
        return manifests.ofType(Deployment.class).stream()
                .filter(deployment -> "worker".equals(label(deployment, COMPONENT_LABEL))).toList();
    }

    Deployment coordinator() {
        List<Deployment> coordinators = manifests.ofType(Deployment.class).stream()
                .filter(deployment -> "coordinator".equals(label(deployment, COMPONENT_LABEL))).toList();
        if (coordinators.size() != 1) {
            throw new AssertionError("Expected one coordinator Deployment, found " + coordinators.size());
        }
        return coordinators.get(0);
    }

    static String pool(Deployment worker) {
        String pool = label(worker, POOL_LABEL);
        if (pool == null) {
            throw new AssertionError("Worker Deployment " + worker.getMetadata().getName() + " has no " + POOL_LABEL
                    + " label");
        }
        return pool;
    }

    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(deployment.getMetadata().getName() + " has " + containers.size()
                    + " containers; the checks expect one service container");
        }
        return containers.get(0);
    }

    /** Returns the literal environment of the deployment's container (variables from Secrets excluded). */
    static Map<String, String> environment(Deployment deployment) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvVar variable : container(deployment).getEnv()) {
            if (variable.getValue() != null) {
                environment.put(variable.getName(), variable.getValue());
            }
        }
        return environment;
    }

    /**
     * Returns the properties of the files in QUARKUS_CONFIG_LOCATIONS. A key in two of the files
     * fails the check, because which one wins would then depend on how Quarkus orders them.
     */
    Properties properties(Deployment deployment) {
        String locations = environment(deployment).get("QUARKUS_CONFIG_LOCATIONS");
        if (locations == null) {
            throw new AssertionError(deployment.getMetadata().getName() + " sets no QUARKUS_CONFIG_LOCATIONS");
        }
        Properties merged = new Properties();
        for (String location : locations.split(",")) {
            Properties file = ProjectFiles.properties(configFile(deployment, Path.of(location.strip())));
            for (String key : file.stringPropertyNames()) {
                if (merged.containsKey(key)) {
                    throw new AssertionError(deployment.getMetadata().getName() + ": " + key
                            + " is set in more than one of " + locations + "; set each setting in one file");
                }
                merged.setProperty(key, file.getProperty(key));
            }
        }
        return merged;
    }

    /**
     * Returns the value that the service reads for {@code property}: the container's environment
     * variable, else the image's (an ENV of its Dockerfile), else the properties files. Quarkus
     * gives environment variables precedence over the files of QUARKUS_CONFIG_LOCATIONS.
     */
    Optional<String> setting(Deployment deployment, String property) {
        String name = ServiceSettings.environmentName(property);
        String variable = environment(deployment).get(name);
        if (variable == null) {
            variable = imageEnvironment(deployment).get(name);
        }
        if (variable != null) {
            return Optional.of(variable);
        }
        return Optional.ofNullable(properties(deployment).getProperty(property));
    }

    /** Returns the variables that the ENV instructions of the container image's Dockerfile set. */
    static Map<String, String> imageEnvironment(Deployment deployment) {
        return Images.dockerfileOf(container(deployment).getImage()).runtime().environment();
    }

    /** Returns the ScaledObject whose scaleTargetRef names {@code deployment}. */
    Optional<GenericKubernetesResource> scaledObjectOf(Deployment deployment) {
        return manifests.custom("ScaledObject").stream()
                .filter(scaled -> deployment.getMetadata().getName()
                        .equals(Maps.text(scaled.getAdditionalProperties(), "spec", "scaleTargetRef", "name")))
                .findFirst();
    }

    /** Returns the text of the ConfigMap file that {@code file} is inside the deployment's container. */
    private String configFile(Deployment deployment, Path file) {
        VolumeMount mount = container(deployment).getVolumeMounts().stream()
                .filter(candidate -> file.getParent().equals(Path.of(candidate.getMountPath())))
                .findFirst()
                .orElseThrow(() -> new AssertionError(deployment.getMetadata().getName() + " reads " + file
                        + " but mounts no volume at " + file.getParent()));
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(candidate -> candidate.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(deployment.getMetadata().getName() + " mounts volume "
                        + mount.getName() + ", which the pod does not define"));
        if (volume.getConfigMap() == null) {
            throw new AssertionError(deployment.getMetadata().getName() + ": volume " + volume.getName()
                    + " holding " + file + " is not a ConfigMap");
        }
        ConfigMap configMap = manifests.named(ConfigMap.class, volume.getConfigMap().getName());
        String text = configMap.getData().get(file.getFileName().toString());
        if (text == null) {
            throw new AssertionError("ConfigMap " + configMap.getMetadata().getName() + " has no key "
                    + file.getFileName() + " for " + deployment.getMetadata().getName() + "; keys: "
                    + configMap.getData().keySet());
        }
        return text;
    }

    private static String label(Deployment deployment, String key) {
        Map<String, String> labels = deployment.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
