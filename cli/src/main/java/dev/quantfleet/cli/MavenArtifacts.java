package dev.quantfleet.cli;

import dev.quantfleet.engine.external.ExternalCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a jar in the Maven local repository, downloading it there from the configured remote
 * repositories (Maven Central by default) with Maven's {@code dependency:get} when it is
 * missing. Maven runs through the project's wrapper ({@code mvnw}) when the repository root
 * is known, otherwise through {@code mvn} on the PATH.
 */
final class MavenArtifacts {

    /** Set by the {@code quantfleet} launcher to the repository root, where {@code mvnw} is. */
    static final String HOME_PROPERTY = "quantfleet.home";

    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(10);
    private static final int ERROR_LINES_SHOWN = 12;

    private final Path localRepository;

    MavenArtifacts(Path localRepository) {
        this.localRepository = localRepository;
    }

    /** Returns the jar of {@code groupId:artifactId:version}, downloading it first when needed. */
    Path resolveJar(String groupId, String artifactId, String version) throws IOException, InterruptedException {
        Path local = localRepository
                .resolve(groupId.replace('.', '/'))
                .resolve(artifactId)
                .resolve(version)
                .resolve(artifactId + "-" + version + ".jar");
        if (Files.isRegularFile(local)) {
            return local;
        }
        String coordinates = groupId + ":" + artifactId + ":" + version;
        ExternalCommand.Result result = ExternalCommand.run(mavenCommand(coordinates), workingDirectory(),
                MAVEN_TIMEOUT, "Run quantfleet through the ./quantfleet script of the repository, or install Maven.");
        if (!result.succeeded() || !Files.isRegularFile(local)) {
            throw new IOException("Maven could not download " + coordinates + " (exit code " + result.exitCode()
                    + "). Check that Maven Central is reachable from this machine. Maven reported:\n"
                    + firstErrorLines(result.stdout() + result.stderr()));
        }
        return local;
    }

    private List<String> mavenCommand(String coordinates) {
        List<String> command = new ArrayList<>();
        Path wrapper = projectRoot() == null ? null : projectRoot().resolve("mvnw");
        command.add(wrapper != null && Files.isExecutable(wrapper) ? wrapper.toString() : "mvn");
        command.addAll(List.of("-B", "-q", "-N",
                DEPENDENCY_PLUGIN + ":get",
                "-Dartifact=" + coordinates,
                "-Dtransitive=false",
                "-Dmaven.repo.local=" + localRepository.toAbsolutePath()));
        return command;
    }

    private Path workingDirectory() {
        return projectRoot() != null ? projectRoot() : Path.of("").toAbsolutePath();
    }

    private static Path projectRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    private static String firstErrorLines(String output) {
        List<String> lines = output.lines()
                .filter(line -> line.startsWith("[ERROR]") || line.contains("Exception"))
                .limit(ERROR_LINES_SHOWN)
                .toList();
        if (lines.isEmpty()) {
            lines = output.lines().limit(ERROR_LINES_SHOWN).toList();
        }
        return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
    }
}
