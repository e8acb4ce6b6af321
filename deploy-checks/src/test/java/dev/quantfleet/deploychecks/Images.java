package dev.quantfleet.deploychecks;

import java.util.Map;

/** The images of deploy/ and the Dockerfile that builds each, under the names that docker-compose.yml and k8s/ use. */
final class Images {

    static final Map<String, String> DOCKERFILES = Map.of(
            "quantfleet/coordinator", "deploy/coordinator.Dockerfile",
            "quantfleet/worker", "deploy/worker.Dockerfile",
            "quantfleet/worker-amd", "deploy/worker-amd.Dockerfile");

    private Images() {
    }

    /** Returns the Dockerfile of an image reference such as {@code quantfleet/worker:0.1.0}. */
    static Dockerfile dockerfileOf(String image) {
        String repository = image.replaceAll("[:@].*$", "");
        String path = DOCKERFILES.get(repository);
        if (path == null) {
            throw new AssertionError("Image " + image + " is none of the project's images " + DOCKERFILES.keySet());
        }
        return Dockerfile.read(ProjectFiles.resolve(path));
    }
}
