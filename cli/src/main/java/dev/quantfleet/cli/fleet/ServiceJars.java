package dev.quantfleet.cli.fleet;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Quarkus applications of the coordinator and the worker, as {@code ./mvnw package} builds
 * them: {@code coordinator/target/quarkus-app/quarkus-run.jar} and
 * {@code worker/target/quarkus-app/quarkus-run.jar} below the project folder.
 *
 * @param coordinator the coordinator's quarkus-run.jar
 * @param worker      the worker's quarkus-run.jar
 */
public record ServiceJars(Path coordinator, Path worker) {

    /** System property with the project folder; the quantfleet launcher sets it. */
    public static final String HOME_PROPERTY = "quantfleet.home";

    private static final String BUILD_COMMAND = "./mvnw -B -q package -pl cli,worker,coordinator -am -DskipTests";

    /** Returns the jars below {@code projectFolder}, whether they exist or not. */
    public static ServiceJars in(Path projectFolder) {
        return new ServiceJars(jar(projectFolder, "coordinator"), jar(projectFolder, "worker"));
    }

    /**
     * Finds the project folder: the {@value #HOME_PROPERTY} system property, else the working
     * folder or the nearest folder above it with a {@code coordinator/pom.xml}.
     */
    public static ServiceJars locate() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return in(Path.of(home));
        }
        Path working = Path.of("").toAbsolutePath();
        for (Path folder = working; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("coordinator").resolve("pom.xml"))) {
                return in(folder);
            }
        }
        return in(working);
    }

    /** Returns whether both jars exist. */
    public boolean built() {
        return Files.isRegularFile(coordinator) && Files.isRegularFile(worker);
    }

    /**
     * @throws FleetException naming the missing jar and the build command
     */
    public void requireBuilt() {
        for (Path jar : new Path[] {coordinator, worker}) {
            if (!Files.isRegularFile(jar)) {
                throw new FleetException("The fleet service " + jar + " is not built; run '" + BUILD_COMMAND
                        + "' in the project folder (the quantfleet launcher does this), or pass --in-process");
            }
        }
    }

    private static Path jar(Path projectFolder, String module) {
        return projectFolder.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar")
                .toAbsolutePath().normalize();
    }
}
